import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import { z } from 'zod';
import type { SandboxEnvironment } from '@assent/config';
import { AssentError, AuthenticationResult, basicAuthMatches, ErrorKind, parseOrReject } from '@assent/domain';
import { BoundedMap, KEPT_PER_PARTY } from '../common/bounded-map';
import { basicAuthorization, callHttp, describeFailure } from '../common/http-client';
import { CallbackFaults, SettingsStore } from '../settings/sandbox-settings';
import { PurchaseTrace } from '../trace/purchase-trace';

/** What the ACS hands Enfuce ID when a cardholder must approve out of band. */
export interface AuthenticationRequest {
  customerNumber: string;
  cardId: string;
  /** Masked, as Enfuce sends it: first six and last four digits. */
  cardNumber: string;
  amount: number;
  currency: string;
  merchant: { name: string; country?: string; url?: string; description?: string };
}

/** What Enfuce ID tells the ACS, once per session. */
export interface EnfuceOutcome {
  result: AuthenticationResult;
  /** Who decided: the authenticator's callback, Enfuce's own deadline, or a webhook the authenticator refused. */
  source: 'callback' | 'deadline' | 'webhook';
  webhookStatus?: number;
}

export interface CallbackRecord {
  at: string;
  /** The status answered, or 'dropped' when the connection was cut without an answer. */
  status: number | 'dropped';
  result?: string;
  note: string;
}

export interface EnfuceSession {
  sessionId: string;
  institutionCode: string;
  customerNumber: string;
  callbackUrl: string;
  startedAt: string;
  deadlineAt: string;
  faults: CallbackFaults;
  webhookAttempts: { status?: number; error?: string; durationMs: number }[];
  callbacks: CallbackRecord[];
  outcome?: EnfuceOutcome & { at: string };
}

export type CallbackAnswer = { status: number; error?: AssentError } | 'drop';

interface LiveSession {
  view: EnfuceSession;
  deadlineMs: number;
  onOutcome: (outcome: EnfuceOutcome) => void;
  timer?: NodeJS.Timeout;
}

const callbackBodySchema = z.object({ result: z.enum(AuthenticationResult) });

// Seed 000: "EnfuceID expects a HTTP 200 OK response within 2 seconds".
const WEBHOOK_TIMEOUT_MS = 2000;
const WEBHOOK_ATTEMPTS = 3;
const WEBHOOK_RETRY_DELAY_MS = 250;

/**
 * Enfuce ID as seed 000 and contract §1–§2 describe it: it calls the
 * authenticator's webhook with Basic auth, then waits at most the deadline
 * (150 s) for the callback; whatever comes first — a callback or the deadline —
 * is the one answer the ACS gets, and a callback after the deadline is refused.
 */
export class EnfuceId {
  private readonly sessions = new BoundedMap<string, LiveSession>(KEPT_PER_PARTY, (session) => clearTimeout(session.timer));

  constructor(
    private readonly env: SandboxEnvironment,
    private readonly settings: SettingsStore,
    private readonly trace: PurchaseTrace,
    private readonly log: FastifyBaseLogger,
  ) {}

  get callbackBaseUrl(): string {
    return `${this.env.SANDBOX_PUBLIC_URL}/enfuceid/api/v1/callback`;
  }

  /** Calls the authenticator's webhook; `onOutcome` hears the session's one result. */
  async authenticate(request: AuthenticationRequest, onOutcome: (outcome: EnfuceOutcome) => void, traceId: string): Promise<EnfuceSession> {
    const sessionId = randomUUID();
    this.trace.link(sessionId, traceId);
    const { deadlineSeconds, callbackFaults } = this.settings.current.enfuce;
    const startedMs = Date.now();
    const session: LiveSession = {
      deadlineMs: startedMs + deadlineSeconds * 1000,
      onOutcome,
      view: {
        sessionId,
        institutionCode: this.env.SANDBOX_INSTITUTION_CODE,
        customerNumber: request.customerNumber,
        callbackUrl: `${this.callbackBaseUrl}/${this.env.SANDBOX_INSTITUTION_CODE}/${request.customerNumber}/${sessionId}`,
        startedAt: new Date(startedMs).toISOString(),
        deadlineAt: new Date(startedMs + deadlineSeconds * 1000).toISOString(),
        faults: { ...callbackFaults },
        webhookAttempts: [],
        callbacks: [],
      },
    };
    this.sessions.set(sessionId, session);
    // The deadline runs from the webhook, whatever the webhook's fate.
    session.timer = setTimeout(() => this.settle(session, { result: AuthenticationResult.Timeout, source: 'deadline' }), session.deadlineMs - startedMs);

    this.trace.record(sessionId, 'enfuce-id', `Webhook to the authenticator for customer ${request.customerNumber}`);
    const status = await this.sendWebhook(session, request);
    if (status === 200) {
      this.trace.record(sessionId, 'enfuce-id', `The authenticator answered the webhook with 200 in ${session.view.webhookAttempts.at(-1)!.durationMs} ms; waiting up to ${deadlineSeconds} s for its callback`, 'ok');
    } else {
      this.trace.record(sessionId, 'enfuce-id', `The authenticator did not take the webhook (${describeAttempts(session.view)})`, 'fail');
      this.settle(session, { result: AuthenticationResult.Error, source: 'webhook', webhookStatus: status });
    }
    return session.view;
  }

  session(sessionId: string): EnfuceSession | undefined {
    return this.sessions.get(sessionId.toLowerCase())?.view;
  }

  /** `POST /v1/callback/{institutionCode}/{customerNumber}/{sessionId}` (seed 000). */
  async receiveCallback(path: { institutionCode: string; customerNumber: string; sessionId: string }, authorization: string | undefined, body: unknown): Promise<CallbackAnswer> {
    const session = this.sessions.get(path.sessionId.toLowerCase());
    const record = (status: number | 'dropped', note: string, result?: string) => {
      session?.view.callbacks.push({ at: new Date().toISOString(), status, result, note });
      return status;
    };

    if (session) {
      const fault = faultFor(session.view.faults, session.view.callbacks.length + 1);
      if (session.view.faults.slowMs > 0) await sleep(session.view.faults.slowMs);
      if (fault === 'drop') {
        record('dropped', 'injected fault: connection dropped');
        this.trace.record(path.sessionId, 'authenticator', 'Callback lost: Enfuce ID dropped the connection (injected fault)', 'warn');
        return 'drop';
      }
      if (fault === 'unavailable') {
        record(503, 'injected fault: 503');
        this.trace.record(path.sessionId, 'authenticator', 'Callback answered 503 by Enfuce ID (injected fault); the authenticator retries', 'warn');
        return { status: 503, error: new AssentError(ErrorKind.Unavailable, 'SERVICE_UNAVAILABLE', 'Enfuce ID is temporarily unavailable (injected fault)') };
      }
    }

    if (!basicAuthMatches(authorization, this.env.ENFUCE_CALLBACK_USERNAME, this.env.ENFUCE_CALLBACK_PASSWORD)) {
      record(401, 'wrong or missing credentials');
      return { status: 401, error: new AssentError(ErrorKind.Unauthenticated, 'UNAUTHORIZED', 'Missing or wrong Basic credentials') };
    }
    let result: AuthenticationResult;
    try {
      result = parseOrReject(callbackBodySchema, body).result;
    } catch (error) {
      record(400, (error as AssentError).message);
      return { status: 400, error: error as AssentError };
    }
    if (!session) {
      return { status: 404, error: new AssentError(ErrorKind.NotFound, 'SESSION_NOT_FOUND', 'No authentication request with this sessionId', '$.path.sessionId') };
    }
    if (path.institutionCode !== session.view.institutionCode || path.customerNumber !== session.view.customerNumber) {
      record(404, 'institutionCode or customerNumber does not match the session', result);
      return { status: 404, error: new AssentError(ErrorKind.NotFound, 'CUSTOMER_NOT_FOUND', 'Customer does not exist for this authentication request', '$.path.customerNumber') };
    }
    const outcome = session.view.outcome;
    if (Date.now() > session.deadlineMs || outcome?.source === 'deadline') {
      record(403, 'after the deadline: invalidated', result);
      this.trace.record(path.sessionId, 'authenticator', `Callback ${result} refused by Enfuce ID: it came after the ${this.secondsOf(session)} s deadline, and the request was invalidated`, 'fail');
      return { status: 403, error: invalidated(`The authentication request timed out ${this.secondsOf(session)} s after its webhook; this callback is invalidated`) };
    }
    if (outcome?.source === 'webhook') {
      record(403, 'the webhook was refused: invalidated', result);
      return { status: 403, error: invalidated('The authenticator refused this authentication request; this callback is invalidated') };
    }
    if (outcome) {
      // A repeat of the accepted result is the authenticator retrying a callback whose 200 it never saw.
      if (outcome.result === result) {
        record(200, 'repeat of the accepted result', result);
        return { status: 200 };
      }
      record(403, `a different result was already accepted (${outcome.result})`, result);
      return { status: 403, error: new AssentError(ErrorKind.Forbidden, 'RESULT_ALREADY_RECEIVED', `This authentication already has its result (${outcome.result})`, '$.result') };
    }
    record(200, 'accepted', result);
    this.trace.record(path.sessionId, 'authenticator', `Callback ${result} accepted by Enfuce ID`, result === AuthenticationResult.Success ? 'ok' : 'warn');
    this.settle(session, { result, source: 'callback' });
    return { status: 200 };
  }

  close(): void {
    for (const session of this.sessions.values()) clearTimeout(session.timer);
  }

  private async sendWebhook(session: LiveSession, request: AuthenticationRequest): Promise<number | undefined> {
    const { sessionId, customerNumber, callbackUrl } = session.view;
    const body = {
      callbackUrl,
      transaction: {
        type: 'PAYMENT',
        cardId: request.cardId,
        cardNumber: request.cardNumber,
        timestamp: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
        amount: { amount: request.amount, currency: request.currency },
      },
      merchant: request.merchant,
    };
    let status: number | undefined;
    for (let attempt = 1; attempt <= WEBHOOK_ATTEMPTS; attempt++) {
      const answer = await callHttp(`${this.env.SANDBOX_AUTHENTICATOR_URL}/v1/authenticate/${encodeURIComponent(customerNumber)}/${sessionId}`, {
        headers: { authorization: basicAuthorization(this.env.ENFUCE_WEBHOOK_USERNAME, this.env.ENFUCE_WEBHOOK_PASSWORD) },
        body,
        timeoutMs: WEBHOOK_TIMEOUT_MS,
      });
      session.view.webhookAttempts.push({ status: answer.status, error: answer.ok ? undefined : describeFailure(answer), durationMs: answer.durationMs });
      status = answer.status;
      // Enfuce retries a webhook that got no answer or a server error; the authenticator treats the retry as the same session.
      if (status !== undefined && status < 500) break;
      this.log.warn({ sessionId, attempt, answer: describeFailure(answer) }, 'Webhook failed; retrying');
      await sleep(WEBHOOK_RETRY_DELAY_MS);
    }
    return status;
  }

  private settle(session: LiveSession, outcome: EnfuceOutcome): void {
    if (session.view.outcome) return;
    clearTimeout(session.timer);
    session.view.outcome = { ...outcome, at: new Date().toISOString() };
    if (outcome.source === 'deadline') {
      this.trace.record(session.view.sessionId, 'enfuce-id', `No callback within ${this.secondsOf(session)} s: TIMEOUT to the ACS, and the request is invalidated`, 'fail');
    } else {
      this.trace.record(session.view.sessionId, 'enfuce-id', `${outcome.result} forwarded to the ACS`, outcome.result === AuthenticationResult.Success ? 'ok' : 'warn');
    }
    this.log.info({ sessionId: session.view.sessionId, result: outcome.result, source: outcome.source }, 'Enfuce ID session settled');
    session.onOutcome(outcome);
  }

  private secondsOf(session: LiveSession): number {
    return Math.round((session.deadlineMs - Date.parse(session.view.startedAt)) / 1000);
  }

}

function faultFor(faults: CallbackFaults, attempt: number): 'drop' | 'unavailable' | undefined {
  if (attempt <= faults.dropFirst) return 'drop';
  if (attempt <= faults.dropFirst + faults.unavailableFirst) return 'unavailable';
  return undefined;
}

function invalidated(message: string): AssentError {
  return new AssentError(ErrorKind.Forbidden, 'AUTHENTICATION_INVALIDATED', message);
}

function describeAttempts(session: EnfuceSession): string {
  return session.webhookAttempts.map((attempt) => attempt.status ?? attempt.error).join(', ');
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
