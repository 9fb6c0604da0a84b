import type { FastifyBaseLogger } from 'fastify';
import { Behaviour } from '../cards/test-cards';
import { formatAmount } from '../common/html';
import { callHttp, describeFailure, HttpAnswer } from '../common/http-client';
import { SettingsStore } from '../settings/sandbox-settings';
import { PurchaseTrace } from '../trace/purchase-trace';
import { SoftAuthenticator } from './soft-authenticator';

/** A pending challenge as the device API lists it (contract §4). */
interface PendingChallenge {
  sessionId: string;
  merchant: { name: string };
  amount: { amount: number; currency: string };
  expiresAt: string;
}

export interface EnrolledDevice {
  deviceId: string;
  deviceToken: string;
  authenticator: SoftAuthenticator;
}

const POLL_INTERVAL_MS = 500;
// How long the cardholder keeps the app open after the shop asked them to, or after the last new challenge.
const AWAKE_MS = 15_000;
// A device forgets the challenges it answered after this long.
const SEEN_FOR_MS = 10 * 60_000;
const CALL_TIMEOUT_MS = 5000;

/**
 * A cardholder's phone, scripted: it uses the authenticator's device API exactly
 * as the cardholder app does (contract §4) — lists the pending challenges, asks
 * for the transaction-bound assertion options and answers them with a passkey
 * held by a software WebAuthn authenticator — and answers every challenge the
 * same way: approve, decline, ignore, or approve only after Enfuce ID's deadline.
 *
 * It is enrolled without a push subscription (poll mode), and polls while the
 * cardholder "has the app open": from the moment the ACS asks them to approve.
 */
export class VirtualDevice {
  private awakeUntil = 0;
  private polling?: Promise<void>;
  private readonly seen = new Map<string, number>();
  private readonly lateApprovals = new Set<NodeJS.Timeout>();
  private stopped = false;

  constructor(
    private readonly authenticatorUrl: string,
    readonly behaviour: Behaviour,
    private readonly device: EnrolledDevice,
    private readonly settings: SettingsStore,
    private readonly trace: PurchaseTrace,
    private readonly log: FastifyBaseLogger,
  ) {}

  /** The cardholder opens the app: poll for a while. */
  wake(): void {
    this.awakeUntil = Date.now() + AWAKE_MS;
    this.polling ??= this.pollWhileAwake().finally(() => (this.polling = undefined));
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.lateApprovals) clearTimeout(timer);
  }

  private async pollWhileAwake(): Promise<void> {
    while (!this.stopped && Date.now() < this.awakeUntil) {
      const answer = await this.call<PendingChallenge[]>('GET', '/api/v1/device/challenges');
      if (answer.ok && Array.isArray(answer.body)) {
        for (const challenge of answer.body.filter((pending) => !this.seen.has(pending.sessionId))) {
          this.seen.set(challenge.sessionId, Date.now());
          this.awakeUntil = Date.now() + AWAKE_MS;
          this.respond(challenge);
        }
      } else {
        this.log.warn({ deviceId: this.device.deviceId, answer: describeFailure(answer) }, 'Virtual device could not list its challenges');
      }
      this.forgetOldChallenges();
      await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
    }
  }

  private respond(challenge: PendingChallenge): void {
    const { sessionId } = challenge;
    this.trace.record(sessionId, 'device', `Phone shows “Approve ${formatAmount(challenge.amount.amount, challenge.amount.currency)} at ${challenge.merchant.name}?”`);
    switch (this.behaviour) {
      case 'approve':
        void this.approve(sessionId);
        return;
      case 'decline':
        void this.decline(sessionId);
        return;
      case 'ignore':
        this.trace.record(sessionId, 'device', 'The cardholder does not answer');
        return;
      case 'approve-late': {
        // Later than Enfuce ID's deadline counted from the webhook, which came before the device saw the challenge.
        const delayMs = (this.settings.current.enfuce.deadlineSeconds + 1) * 1000;
        this.trace.record(sessionId, 'device', `The cardholder will approve in ${delayMs / 1000} s, after Enfuce ID’s deadline`);
        const timer = setTimeout(() => {
          this.lateApprovals.delete(timer);
          void this.approve(sessionId);
        }, delayMs);
        this.lateApprovals.add(timer);
      }
    }
  }

  private async approve(sessionId: string): Promise<void> {
    const options = await this.call('POST', `/api/v1/device/challenges/${sessionId}/assertion-options`);
    if (!options.ok) return this.answered(sessionId, 'approve', options);
    const credential = this.device.authenticator.assert(options.body);
    const decision = await this.call('POST', `/api/v1/device/challenges/${sessionId}/decision`, { decision: 'approve', credential });
    this.answered(sessionId, 'approve', decision);
  }

  private async decline(sessionId: string): Promise<void> {
    const decision = await this.call('POST', `/api/v1/device/challenges/${sessionId}/decision`, { decision: 'decline', reason: 'other' });
    this.answered(sessionId, 'decline', decision);
  }

  private answered(sessionId: string, decision: 'approve' | 'decline', answer: HttpAnswer): void {
    const verb = decision === 'approve' ? 'Approved with the passkey' : 'Declined';
    if (answer.ok) {
      this.trace.record(sessionId, 'device', `${verb}: the authenticator answered ${answer.body?.result}`, decision === 'approve' ? 'ok' : 'warn');
    } else {
      const state = (answer.body as { errorReason?: string } | undefined)?.errorReason;
      this.trace.record(sessionId, 'device', `${verb}, but the authenticator refused: ${describeFailure(answer)}${state ? ` (${state})` : ''}`, 'fail');
    }
  }

  private call<T = any>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<HttpAnswer<T>> {
    return callHttp<T>(`${this.authenticatorUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.device.deviceToken}` },
      body,
      timeoutMs: CALL_TIMEOUT_MS,
    });
  }

  private forgetOldChallenges(): void {
    const cutoff = Date.now() - SEEN_FOR_MS;
    for (const [sessionId, at] of this.seen) if (at < cutoff) this.seen.delete(sessionId);
  }
}
