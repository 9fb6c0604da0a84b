import { z } from 'zod';
import type { SandboxEnvironment } from '@assent/config';
import { maskCardNumber } from '@assent/domain';
import type { ChallengeStatus } from '../acs/acs';
import { BEHAVIOURS, Behaviour, testCardFor } from '../cards/test-cards';
import { callHttp, describeFailure } from '../common/http-client';
import { EnfuceId, EnfuceSession } from '../enfuce-id/enfuce-id';
import type { AuthenticationAnswer } from '../merchant/merchant-api';
import { SettingsStore } from '../settings/sandbox-settings';
import { CATALOG, catalogItem } from '../shop/catalog';
import { Checkout, Shopper } from '../shop/checkout';
import { PurchaseTrace, TraceEvent } from '../trace/purchase-trace';

export const purchaseRunSchema = z.strictObject({
  behaviour: z.enum(BEHAVIOURS),
  count: z.number().int().min(1).max(200).default(1),
  concurrency: z.number().int().min(1).max(20).optional(),
  itemId: z.enum(CATALOG.map((item) => item.id) as [string, ...string[]]).default(CATALOG[0].id),
});

export type PurchaseRun = z.input<typeof purchaseRunSchema>;

export interface PurchaseReport {
  transactionReference: string;
  behaviour: Behaviour;
  cardNumber: string;
  /** The merchant API's outcome, or `error` when a party failed (see `error`). */
  outcome: AuthenticationAnswer['outcome'] | 'error';
  authentication?: AuthenticationAnswer['authentication'];
  error?: string;
  durationMs: number;
  /** What Enfuce ID saw: its sessionId, the webhook, every callback and the result it forwarded. */
  enfuce?: Pick<EnfuceSession, 'sessionId' | 'webhookAttempts' | 'callbacks' | 'outcome' | 'deadlineAt'>;
  timeline: TraceEvent[];
}

export interface PurchaseRunReport {
  behaviour: Behaviour;
  outcomes: Record<string, number>;
  durationMs: number;
  purchases: PurchaseReport[];
}

const SHOPPER: Shopper = { acceptHeader: 'text/html,application/json', userAgentHeader: 'assent-sandbox-purchase-runner/1.0', browserLanguage: 'en-GB' };
const STATUS_POLL_MS = 200;

/**
 * Runs purchases end to end as a shopper would: pay at the merchant API, open the
 * ACS challenge in a "browser" (the CReq form post), wait for the challenge to
 * finish, and have the merchant verify it — every step over HTTP, with the card of
 * the chosen cardholder behaviour. The end-to-end tests and the benchmark use it.
 */
export class PurchaseRunner {
  constructor(
    private readonly env: SandboxEnvironment,
    private readonly checkout: Checkout,
    private readonly enfuce: EnfuceId,
    private readonly settings: SettingsStore,
    private readonly trace: PurchaseTrace,
  ) {}

  async run(input: PurchaseRun): Promise<PurchaseRunReport> {
    const run = purchaseRunSchema.parse(input);
    const started = performance.now();
    const purchases: PurchaseReport[] = new Array(run.count);
    let next = 0;
    const worker = async () => {
      for (let index = next++; index < run.count; index = next++) purchases[index] = await this.purchase(run.behaviour, run.itemId);
    };
    await Promise.all(Array.from({ length: Math.min(run.concurrency ?? 10, run.count) }, worker));
    const outcomes: Record<string, number> = {};
    for (const purchase of purchases) outcomes[purchase.outcome] = (outcomes[purchase.outcome] ?? 0) + 1;
    return { behaviour: run.behaviour, outcomes, durationMs: Math.round(performance.now() - started), purchases };
  }

  private async purchase(behaviour: Behaviour, itemId: string): Promise<PurchaseReport> {
    const started = performance.now();
    const card = testCardFor(behaviour);
    const order = this.checkout.newOrder(catalogItem(itemId)!, card.number);
    const report = (fields: Partial<PurchaseReport> & Pick<PurchaseReport, 'outcome'>, challenge?: ChallengeStatus): PurchaseReport => {
      const session = challenge?.enfuceSessionId ? this.enfuce.session(challenge.enfuceSessionId) : undefined;
      return {
        transactionReference: order.transactionReference,
        behaviour,
        cardNumber: maskCardNumber(card.number),
        durationMs: Math.round(performance.now() - started),
        ...fields,
        ...(session && {
          enfuce: { sessionId: session.sessionId, webhookAttempts: session.webhookAttempts, callbacks: session.callbacks, outcome: session.outcome, deadlineAt: session.deadlineAt },
        }),
        timeline: this.trace.events(order.transactionReference),
      };
    };

    const authenticated = await this.checkout.authenticate(order, SHOPPER);
    if (!authenticated.ok) return report({ outcome: 'error', error: `authenticate: ${describeFailure(authenticated)}` });
    const answer = authenticated.body as AuthenticationAnswer;
    if (answer.outcome !== 'challenged' || !answer.challenge) return report({ outcome: answer.outcome, authentication: answer.authentication });

    const { acsTransID } = JSON.parse(Buffer.from(answer.challenge.payload, 'base64url').toString('utf8')) as { acsTransID: string };
    const opened = await callHttp(answer.challenge.url, {
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      body: new URLSearchParams({ creq: answer.challenge.payload }).toString(),
      timeoutMs: 15_000,
    });
    if (!opened.ok) return report({ outcome: 'error', error: `challenge: ${describeFailure(opened)}` });
    const challenge = await this.waitForChallenge(acsTransID);
    if (challenge?.state !== 'final') return report({ outcome: 'error', error: 'the challenge did not finish' }, challenge);

    const verified = await this.checkout.verify(order, answer.challenge.reference);
    if (!verified.ok) return report({ outcome: 'error', error: `verification: ${describeFailure(verified)}` }, challenge);
    const verification = verified.body as AuthenticationAnswer;
    return report({ outcome: verification.outcome, authentication: verification.authentication }, challenge);
  }

  /** The challenge page's own polling, as the shopper's browser runs it; gives up a while after Enfuce's deadline. */
  private async waitForChallenge(acsTransID: string): Promise<ChallengeStatus | undefined> {
    const giveUpAt = Date.now() + (this.settings.current.enfuce.deadlineSeconds + 15) * 1000;
    let status: ChallengeStatus | undefined;
    while (Date.now() < giveUpAt && status?.state !== 'final') {
      const answer = await callHttp<ChallengeStatus>(`${this.env.SANDBOX_PUBLIC_URL}/acs/challenges/${acsTransID}`, { timeoutMs: 5000 });
      if (answer.ok) status = answer.body;
      if (status?.state !== 'final') await new Promise((resolve) => setTimeout(resolve, STATUS_POLL_MS));
    }
    return status;
  }
}
