/**
 * Enfuce's traffic while a fault happens: webhooks for new sessions at a steady pace,
 * with what each one got back and how long it took, so a fault test can say what
 * happened to every request sent during the fault.
 */
import { AssentUnderTest, EnrolledDevice, newSessionId } from './assent-under-test';

export interface SentWebhook {
  sessionId: string;
  device: EnrolledDevice;
  sentAt: number;
  /** HTTP status, or undefined when no answer came (refused, reset, or no answer in 5 s). */
  status?: number;
  elapsedMs?: number;
  error?: string;
}

export class SteadyWebhooks {
  readonly sent: SentWebhook[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly system: AssentUnderTest,
    private readonly devices: EnrolledDevice[],
    private readonly perSecond: number,
    /** Called with each session that got its 200 (a device deciding it, say). */
    private readonly onAccepted: (webhook: SentWebhook) => Promise<unknown> | void = () => undefined,
  ) {}

  start(): this {
    this.timer = setInterval(() => this.sendOne(), 1000 / this.perSecond);
    return this;
  }

  /** Stops sending and waits for every answer (and every onAccepted) still owed. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    while (this.inFlight.size) await Promise.all(this.inFlight);
  }

  accepted(): SentWebhook[] {
    return this.sent.filter((webhook) => webhook.status === 200);
  }

  private sendOne(): void {
    const device = this.devices[this.sent.length % this.devices.length];
    const webhook: SentWebhook = { sessionId: newSessionId(), device, sentAt: Date.now() };
    this.sent.push(webhook);
    const done = this.system
      .webhook(device.customerNumber, webhook.sessionId)
      .timeout(5000)
      .then(
        (response) => {
          webhook.status = response.status;
        },
        (error: Error) => {
          webhook.error = error.message;
        },
      )
      .then(async () => {
        webhook.elapsedMs = Date.now() - webhook.sentAt;
        if (webhook.status === 200) await this.onAccepted(webhook);
      })
      .finally(() => this.inFlight.delete(done));
    this.inFlight.add(done);
  }
}

/** How many of `items` fall in each group, for a one-line account of a fault test. */
export function tally<T>(items: T[], group: (item: T) => string | number | undefined): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) {
    const key = String(group(item) ?? 'none');
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}
