import { Inject, Injectable, Logger } from '@nestjs/common';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { ATTR_ERROR_TYPE, ATTR_HTTP_RESPONSE_STATUS_CODE, ATTR_SERVER_ADDRESS } from '@opentelemetry/semantic-conventions';
import { ENVIRONMENT, Environment } from '@assent/config';
import {
  attemptBudget,
  AuthenticationResult,
  callbackDeadline,
  isDeliveredStatus,
  isRetryableCallbackStatus,
  isTerminal,
  resultOf,
} from '@assent/domain';
import { CallbackAttemptOutcome, postCallback } from '@assent/enfuce';
import { callbackAttemptSeconds, callbackAttemptsTotal, sessionsTotal, timeToDecisionSeconds } from '@assent/metrics';
import { DeliveryRecords, SessionSummaries } from '@assent/persistence';
import { CallbackOutcome, SessionStore, StoredSession } from '@assent/sessions';
import { annotateActiveSpan, inSpan, SessionAttribute, sessionAttributes } from '@assent/telemetry';

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
    annotateActiveSpan(sessionAttributes(sessionId, session?.customerNumber));
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
    const answer = await this.post(session, result, attempt, budget);
    const status = statusOf(answer);
    callbackAttemptsTotal.inc({ status });
    callbackAttemptSeconds.observe({ status }, answer.durationMs / 1000);
    const delivered = answer.status !== undefined && isDeliveredStatus(answer.status);
    // Recorded before anything else, so that a run after a crash finds it and does not post again.
    const deliveredAt = delivered ? await this.sessions.settleCallback(sessionId, 'delivered') : null;
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
      return this.finish(session, 'delivered', deliveredAt);
    }
    if (isRetryableCallbackStatus(answer.status)) {
      this.logger.warn({ msg: 'Callback failed; will retry before the deadline', ...log });
      throw new RetryableCallbackError(answer.error ?? `Enfuce answered ${answer.status}`);
    }
    this.logger.error({ msg: 'Enfuce refused the callback; not retrying', ...log });
    return this.finish(session, 'rejected');
  }

  /** One attempt, in a span of its own that says which result it carried and how Enfuce answered. */
  private post(session: StoredSession, result: AuthenticationResult, attempt: number, budgetMs: number): Promise<CallbackAttemptOutcome> {
    const attributes = {
      ...sessionAttributes(session.sessionId, session.customerNumber),
      [SessionAttribute.Result]: result,
      [SessionAttribute.CallbackAttempt]: attempt,
      [ATTR_SERVER_ADDRESS]: new URL(session.callbackUrl).hostname,
    };
    return inSpan('send callback', { kind: SpanKind.CLIENT, attributes }, async (span) => {
      const credentials = { username: this.env.ENFUCE_CALLBACK_USERNAME, password: this.env.ENFUCE_CALLBACK_PASSWORD };
      const answer = await postCallback(session.callbackUrl, result, credentials, budgetMs);
      span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, answer.status);
      if (answer.status === undefined || !isDeliveredStatus(answer.status)) {
        span.setAttribute(ATTR_ERROR_TYPE, statusOf(answer));
        span.setStatus({ code: SpanStatusCode.ERROR });
      }
      return answer;
    });
  }

  /**
   * Ends the delivery: the outcome recorded in Redis (unless deliver() did, at
   * `recordedAt`), the metrics, and the Postgres summary, which repeats what Redis
   * holds: what this run recorded or, when a run before it got there first, that.
   */
  private async finish(session: StoredSession, outcome: CallbackOutcome, recordedAt?: number | null): Promise<void> {
    const settledAt = recordedAt === undefined ? await this.sessions.settleCallback(session.sessionId, outcome) : recordedAt;
    const result = isTerminal(session.state) ? resultOf(session.state) : 'unknown';
    sessionsTotal.inc({ result });
    timeToDecisionSeconds.observe({ result }, ((session.settledAt ?? Date.now()) - session.receivedAt) / 1000);
    if (outcome === 'deadline_passed') {
      this.logger.error({ msg: 'Enfuce deadline passed before the result could be delivered', sessionId: session.sessionId });
    }
    const settled = settledAt === null ? await this.sessions.get(session.sessionId) : { ...session, callbackOutcome: outcome, callbackSettledAt: settledAt };
    await this.summaries.recordSettled(settled ?? { ...session, callbackOutcome: outcome, callbackSettledAt: Date.now() });
  }
}

/** How an attempt ended, as the metrics and the trace label it: the HTTP status, 'timeout' or 'network'. */
function statusOf(answer: CallbackAttemptOutcome): string {
  if (answer.status !== undefined) return String(answer.status);
  return answer.error?.startsWith('timed out') ? 'timeout' : 'network';
}
