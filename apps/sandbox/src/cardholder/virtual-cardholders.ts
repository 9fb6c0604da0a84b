import type { FastifyBaseLogger } from 'fastify';
import type { SandboxEnvironment } from '@assent/config';
import { CardFile } from '../cards/card-file';
import { basicAuthorization, callHttp, describeFailure } from '../common/http-client';
import { SettingsStore } from '../settings/sandbox-settings';
import { PurchaseTrace } from '../trace/purchase-trace';
import { SoftAuthenticator } from './soft-authenticator';
import { EnrolledDevice, VirtualDevice } from './virtual-device';

const CALL_TIMEOUT_MS = 5000;
const RETRY_MS = 1000;

/**
 * The virtual cardholders of the behaviour cards. At start the sandbox plays the
 * issuer's backend (contract §3: an activation code per cardholder) and each
 * cardholder's phone (contract §4: a passkey registered with it, no push
 * subscription), retrying until the authenticator answers, so the sandbox may
 * start before it.
 */
export class VirtualCardholders {
  private readonly devices = new Map<string, VirtualDevice>();
  private lastProblem = 'not enrolled yet';
  private stopped = false;

  constructor(
    private readonly env: SandboxEnvironment,
    private readonly cards: CardFile,
    private readonly settings: SettingsStore,
    private readonly trace: PurchaseTrace,
    private readonly log: FastifyBaseLogger,
  ) {}

  get ready(): boolean {
    return this.devices.size === this.virtualCards().length;
  }

  /** Why the sandbox is not ready yet, for its readiness probe. */
  get problem(): string | undefined {
    return this.ready ? undefined : this.lastProblem;
  }

  /** Enrolls every virtual cardholder, in the background, until done or stopped. */
  enrollInBackground(): void {
    void (async () => {
      while (!this.stopped && !this.ready) {
        for (const record of this.virtualCards().filter((candidate) => !this.devices.has(candidate.customerNumber))) {
          const device = await this.enroll(record.customerNumber, record.card.label).catch((error: Error) => {
            this.lastProblem = error.message;
            return undefined;
          });
          if (device && !this.stopped && record.card.holder.kind === 'virtual') {
            this.devices.set(record.customerNumber, new VirtualDevice(this.env.SANDBOX_AUTHENTICATOR_URL, record.card.holder.behaviour, device, this.settings, this.trace, this.log));
          }
        }
        if (!this.ready) await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
      }
      if (this.ready) this.log.info({ cardholders: this.devices.size }, 'Virtual cardholders enrolled');
    })();
  }

  /** The ACS asked this cardholder to approve; a virtual one opens the app. */
  wake(customerNumber: string): void {
    this.devices.get(customerNumber)?.wake();
  }

  stop(): void {
    this.stopped = true;
    for (const device of this.devices.values()) device.stop();
  }

  private virtualCards() {
    return this.cards.all().filter((record) => record.card.holder.kind === 'virtual');
  }

  private async enroll(customerNumber: string, label: string): Promise<EnrolledDevice> {
    const api = this.env.SANDBOX_AUTHENTICATOR_URL;
    const enrollment = await callHttp(`${api}/api/v1/enrollments`, {
      headers: { authorization: basicAuthorization(this.env.ISSUER_API_USERNAME, this.env.ISSUER_API_PASSWORD) },
      body: { customerNumber, displayName: `Virtual cardholder (${label.toLowerCase()})` },
      timeoutMs: CALL_TIMEOUT_MS,
    });
    if (!enrollment.ok) throw new Error(`the issuer API did not create an enrollment: ${describeFailure(enrollment)}`);
    const { activationCode } = enrollment.body as { activationCode: string };
    const options = await callHttp(`${api}/api/v1/devices/registration-options`, { body: { activationCode }, timeoutMs: CALL_TIMEOUT_MS });
    if (!options.ok) throw new Error(`the device API gave no registration options: ${describeFailure(options)}`);
    const authenticator = new SoftAuthenticator({ origin: api });
    const registered = await callHttp(`${api}/api/v1/devices`, {
      body: { activationCode, credential: authenticator.register(options.body), name: `Virtual phone (${label.toLowerCase()})` },
      timeoutMs: CALL_TIMEOUT_MS,
    });
    if (!registered.ok) throw new Error(`the device API did not register the virtual phone: ${describeFailure(registered)}`);
    const { deviceId, deviceToken } = registered.body as { deviceId: string; deviceToken: string };
    return { deviceId, deviceToken, authenticator };
  }
}
