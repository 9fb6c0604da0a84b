import { Inject, Injectable, Logger } from '@nestjs/common';
import { ENVIRONMENT, Environment } from '@assent/config';
import {
  attemptBudget,
  callbackDeadline,
  isDeliveredStatus,
  isRetryableCallbackStatus,
  isTerminal,
  resultOf,
} from '@assent/domain';
import { postCallback } from '@assent/enfuce';
import { callbackAttemptSeconds, callbackAttemptsTotal, sessionsTotal, timeToDecisionSeconds } from '@assent/metrics';
import { DeliveryRecords, SessionSummaries } from '@assent/persistence';
import { CallbackOutcome, SessionStore, StoredSession } from '@assent/sessions';

/** Thrown for an answer worth retrying; the job's backoff decides when. */
export class RetryableCallbackError extends Error {}

/**
 * Delivers a session's result to Enfuce ID: at least once, and never after the
 * 150 s deadline. The outcome is recorded in the session first thing after the
 * answer, so a retried job after a crash finds it and does not post again.
 */
@Injectable()
export class CallbackDeliveryService {
  private readonly logger = new Logger(CallbackDeliveryService.name);

  constructor(
    private readonly sessions: SessionStore,
    private readonly summaries: SessionSummaries,
    private readonly records: DeliveryRecords,
    @Inject(ENVIRONMENT) private readonly env: Environment,
  ) {}

  async deliver(sessionId: string, attempt: number): Promise<void> {
    const session = await this.sessions.get(sessionId);
    if (!session) {
      this.logger.error({ msg: 'Session expired from Redis before its callback was delivered', sessionId });
      return;
    }
    // Delivered already, by a run of this job that died before recording the rest:
    // the summary is written again (it is idempotent) so that it is never left behind.
    if (session.callbackOutcome) return this.summaries.recordSettled(session);
    if (!isTerminal(session.state)) throw new Error(`Session ${sessionId} is still ${session.state}`);

    const result = resultOf(session.state);
    const budget = attemptBudget(Date.now(), callbackDeadline(session.receivedAt), this.env.CALLBACK_ATTEMPT_TIMEOUT_MS);
    if (budget === 0) return this.finish(session, 'deadline_passed');

    const startedAt = new Date();
    const answer = await postCallback(
      session.callbackUrl,
      result,
      { username: this.env.ENFUCE_CALLBACK_USERNAME, password: this.env.ENFUCE_CALLBACK_PASSWORD },
      budget,
    );
    const status = answer.status !== undefined ? String(answer.status) : answer.error?.startsWith('timed out') ? 'timeout' : 'network';
    callbackAttemptsTotal.inc({ status });
    callbackAttemptSeconds.observe({ status }, answer.durationMs / 1000);
    const delivered = answer.status !== undefined && isDeliveredStatus(answer.status);
    if (delivered) await this.sessions.settleCallback(sessionId, 'delivered');
    await this.records.recordCallbackAttempt({
      sessionId,
      attempt,
      result,
      startedAt,
      durationMs: answer.durationMs,
      statusCode: answer.status ?? null,
      error: answer.error ?? null,
    });
    const log = { sessionId, result, attempt, status: answer.status, error: answer.error, durationMs: answer.durationMs };
    if (delivered) {
      this.logger.log({ msg: 'Result delivered to Enfuce', ...log });
      return this.finish(session, 'delivered');
    }
    if (isRetryableCallbackStatus(answer.status)) {
      this.logger.warn({ msg: 'Callback failed; will retry before the deadline', ...log });
      throw new RetryableCallbackError(answer.error ?? `Enfuce answered ${answer.status}`);
    }
    this.logger.error({ msg: 'Enfuce refused the callback; not retrying', ...log });
    return this.finish(session, 'rejected');
  }

  private async finish(session: StoredSession, outcome: CallbackOutcome): Promise<void> {
    await this.sessions.settleCallback(session.sessionId, outcome);
    const result = isTerminal(session.state) ? resultOf(session.state) : 'unknown';
    sessionsTotal.inc({ result });
    timeToDecisionSeconds.observe({ result }, ((session.settledAt ?? Date.now()) - session.receivedAt) / 1000);
    if (outcome === 'deadline_passed') {
      this.logger.error({ msg: 'Enfuce deadline passed before the result could be delivered', sessionId: session.sessionId });
    }
    const settled = await this.sessions.get(session.sessionId);
    await this.summaries.recordSettled(settled ?? { ...session, callbackOutcome: outcome, callbackSettledAt: Date.now() });
  }
}
