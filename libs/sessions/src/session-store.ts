import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { Job, Queue, SpanKind } from 'bullmq';
import { createHash, randomUUID } from 'node:crypto';
import type { ChainableCommander } from 'ioredis';
import { ENVIRONMENT, Environment } from '@assent/config';
import { callbackDeadline, ENFUCE_DEADLINE_SECONDS, SessionState } from '@assent/domain';
import { CallbackJob, JobName, jobIds, jobOptions, QueueName, REDIS, RedisConnection, SessionJob } from '@assent/queue';
import { activeTraceparent } from '@assent/telemetry';
import { RedisKeys } from './redis-keys';
import { CallbackOutcome, SessionEvent, SessionHeadline } from './session-events';
import { CREATE_SESSION, SETTLE_CALLBACK, SETTLE_SESSION } from './session.scripts';
import {
  CreateOutcome,
  NewSession,
  sessionFromHash,
  Settlement,
  SettleOutcome,
  StoredSession,
} from './stored-session';

// A session outlives Enfuce's deadline by this much so the callback worker and the
// Postgres summary always find it; once its callback is settled it goes sooner.
const SESSION_TTL_SECONDS = ENFUCE_DEADLINE_SECONDS + 15 * 60;
const SETTLED_SESSION_TTL_SECONDS = 5 * 60;

interface SessionCommands {
  assentCreateSession(...args: (string | number)[]): Promise<[CreateOutcome, string]>;
  assentSettleSession(...args: (string | number)[]): Promise<[string, string]>;
  assentSettleCallback(...args: (string | number)[]): Promise<number>;
}

type ScriptedRedis = RedisConnection & SessionCommands;
type ScriptedTransaction = ChainableCommander & { [K in keyof SessionCommands]: (...args: (string | number)[]) => ScriptedTransaction };

/**
 * The authentication sessions in Redis and the jobs they imply. Every state change
 * is a Lua compare-and-set, and where a change implies a job, both go to Redis in
 * one MULTI so that a crash can never leave one without the other.
 */
@Injectable()
export class SessionStore implements OnModuleInit {
  private readonly keys: RedisKeys;
  private readonly redis: ScriptedRedis;

  constructor(
    @Inject(REDIS) redis: RedisConnection,
    @Inject(ENVIRONMENT) private readonly env: Environment,
    @InjectQueue(QueueName.Push) private readonly pushQueue: Queue<SessionJob>,
    @InjectQueue(QueueName.Timeout) private readonly timeoutQueue: Queue<SessionJob>,
    @InjectQueue(QueueName.Callback) private readonly callbackQueue: Queue<CallbackJob>,
  ) {
    this.keys = new RedisKeys(env.REDIS_KEY_PREFIX);
    this.redis = redis as ScriptedRedis;
    this.redis.defineCommand('assentCreateSession', { numberOfKeys: 3, lua: CREATE_SESSION });
    this.redis.defineCommand('assentSettleSession', { numberOfKeys: 2, lua: SETTLE_SESSION });
    this.redis.defineCommand('assentSettleCallback', { numberOfKeys: 1, lua: SETTLE_CALLBACK });
  }

  async onModuleInit(): Promise<void> {
    // BullMQ loads its own scripts onto the shared connection when a queue first
    // connects; a MULTI that adds jobs needs them there.
    await Promise.all([this.pushQueue.client, this.timeoutQueue.client, this.callbackQueue.client]);
  }

  /**
   * Stores a session from Enfuce's webhook and queues its push and its timeout.
   * The same request again (Enfuce retries) changes nothing; the same id with other
   * content is a conflict. A cardholder without an active device is refused here,
   * from the device index, so the webhook never waits on Postgres.
   */
  async create(session: NewSession, fingerprint: string): Promise<CreateOutcome> {
    const expiresAt = session.receivedAt + this.env.AUTH_TIMEOUT_SECONDS * 1000;
    // The webhook's trace, which the cardholder's decision continues from a request of its own.
    const traceparent = activeTraceparent();
    const [outcome, storedExpiresAt] = await this.redis.assentCreateSession(
      this.keys.session(session.sessionId),
      this.keys.devices(session.customerNumber),
      this.keys.pending(session.customerNumber),
      fingerprint,
      SESSION_TTL_SECONDS,
      session.sessionId,
      expiresAt,
      this.keys.sessionEvents(),
      eventJson({ type: 'session.received', at: session.receivedAt, session: headlineOf(session) }),
      ...Object.entries({
        state: SessionState.Pending,
        customerNumber: session.customerNumber,
        institutionCode: session.institutionCode,
        callbackUrl: session.callbackUrl,
        receivedAt: session.receivedAt,
        expiresAt,
        // 122 random bits, from the CSPRNG pool Node keeps for UUIDs: randomBytes asks
        // OpenSSL afresh for every call, which showed in the webhook's profile.
        nonce: randomUUID(),
        transaction: JSON.stringify(session.transaction),
        merchant: JSON.stringify(session.merchant),
        ...(traceparent && { traceparent }),
      }).flat(),
    );
    // Jobs are queued in a second round trip, and only for a stored session: BullMQ
    // cannot add a job conditionally, and adding unconditionally would leave jobs
    // behind every refused webhook whose ids would then swallow a later, accepted
    // one. Both adds are no-ops when the job exists (its id is the session's), so a
    // retry queues whatever a crash between the two round trips left out, and the
    // two go out together instead of in a MULTI, which costs this path more CPU
    // than all of its validation.
    if (outcome === 'created' || outcome === 'duplicate') {
      const timeoutInMs = Math.max(1, Number(storedExpiresAt) - Date.now());
      const job = { sessionId: session.sessionId, customerNumber: session.customerNumber };
      await Promise.all([
        this.addJob(this.pushQueue, JobName.PushChallenge, jobIds.push(session.sessionId), job),
        this.addJob(this.timeoutQueue, JobName.ExpireSession, jobIds.timeout(session.sessionId), job, { delay: timeoutInMs }),
      ]);
    }
    return outcome;
  }

  async get(sessionId: string): Promise<StoredSession | null> {
    return sessionFromHash(sessionId, await this.redis.hgetall(this.keys.session(sessionId)));
  }

  /**
   * Ends a PENDING session, once, and queues its callback in the same MULTI. The
   * callback job is added even when the compare-and-set loses: its id is the
   * session's, so it is then the winner's job already, and a no-op.
   */
  async settle(
    session: Pick<StoredSession, 'sessionId' | 'customerNumber' | 'receivedAt' | 'merchant' | 'transaction'>,
    settlement: Settlement,
  ): Promise<SettleOutcome> {
    const transaction = await this.transaction();
    const settledAt = Date.now();
    const { state, ...details } = settlement;
    const recorded = Object.entries(details).filter(([, value]) => value !== undefined);
    transaction.assentSettleSession(
      this.keys.session(session.sessionId),
      this.keys.pending(session.customerNumber),
      state,
      settledAt,
      session.sessionId,
      this.keys.sessionEvents(),
      eventJson({ type: 'session.settled', at: settledAt, session: { ...headlineOf(session), state, ...details } }),
      ...(recorded.flat() as string[]),
    );
    await this.addJob(
      this.callbackQueue,
      JobName.DeliverResult,
      jobIds.callback(session.sessionId),
      { sessionId: session.sessionId, customerNumber: session.customerNumber, deadlineAt: callbackDeadline(session.receivedAt) },
      { transaction },
    );
    const [[outcome, storedState]] = (await this.exec(transaction)) as [[string, string]];
    if (outcome === 'settled') return { outcome };
    if (outcome === 'already') return { outcome, state: storedState as SessionState };
    return { outcome: 'missing' };
  }

  /** Pending sessions of a cardholder that have not yet timed out, oldest first. */
  async pendingFor(customerNumber: string): Promise<StoredSession[]> {
    const key = this.keys.pending(customerNumber);
    const now = Date.now();
    const ids = await this.redis.zrangebyscore(key, now, '+inf', 'LIMIT', 0, 20);
    const sessions = await this.getMany(ids);
    return sessions.filter((session): session is StoredSession => session?.state === SessionState.Pending);
  }

  /** Several sessions in one round trip, in the order asked; null for those Redis no longer holds. */
  async getMany(sessionIds: string[]): Promise<(StoredSession | null)[]> {
    if (!sessionIds.length) return [];
    const pipeline = this.redis.pipeline();
    for (const id of sessionIds) pipeline.hgetall(this.keys.session(id));
    const hashes = ((await pipeline.exec()) ?? []).map(([, hash]) => hash as Record<string, string>);
    return sessionIds.map((id, index) => sessionFromHash(id, hashes[index] ?? {}));
  }

  /** Remembers that a device's push went out, so a retried push job does not send it twice. */
  async markPushed(sessionId: string, deviceId: string): Promise<void> {
    await this.redis.hset(this.keys.session(sessionId), `pushed:${deviceId}`, Date.now());
  }

  /** Records how the callback ended, and returns when; null when an outcome was recorded already. */
  async settleCallback(sessionId: string, outcome: CallbackOutcome): Promise<number | null> {
    const settledAt = Date.now();
    const recorded = await this.redis.assentSettleCallback(
      this.keys.session(sessionId),
      outcome,
      settledAt,
      SETTLED_SESSION_TTL_SECONDS,
      this.keys.sessionEvents(),
      eventJson({ type: 'callback.settled', at: settledAt, sessionId, callbackOutcome: outcome }),
    );
    return recorded === 1 ? settledAt : null;
  }

  /** A digest of the request's content: the same sessionId with another digest is a conflict. */
  static fingerprint(content: unknown): string {
    return createHash('sha256').update(JSON.stringify(content)).digest('base64url');
  }

  private async transaction(): Promise<ScriptedTransaction> {
    // The queue's client is the shared connection wrapped by BullMQ, whose MULTI
    // knows BullMQ's scripts as well as ours.
    const client = await this.callbackQueue.client;
    return client.multi() as unknown as ScriptedTransaction;
  }

  /**
   * Adds a job with its queue's options: into `transaction` when given, else at once.
   * Traced as Queue.add traces (when BullMQ has telemetry): the job carries the trace
   * context of the request or job that added it, and its processing continues that trace.
   */
  private async addJob<T extends SessionJob>(
    queue: Queue<T>,
    name: JobName,
    jobId: string,
    data: T,
    { transaction, ...timing }: { delay?: number; transaction?: ScriptedTransaction } = {},
  ): Promise<void> {
    await queue.trace(SpanKind.PRODUCER, 'add', `${queue.name}.${name}`, async (_span, traceContext) => {
      const options = { ...jobOptions[queue.name as QueueName], ...timing, jobId, ...(traceContext && { telemetry: { metadata: traceContext } }) };
      await new Job<T>(queue, name, data, options, jobId).addJob((transaction ?? (await queue.client)) as never);
    });
  }

  private async exec(transaction: ScriptedTransaction): Promise<unknown[]> {
    const results = await transaction.exec();
    if (!results) throw new Error('Redis transaction was aborted');
    return results.map(([error, value]) => {
      if (error) throw error;
      return value;
    });
  }
}

function eventJson(event: SessionEvent): string {
  return JSON.stringify(event);
}

function headlineOf(session: Pick<NewSession, 'sessionId' | 'customerNumber' | 'merchant' | 'transaction' | 'receivedAt'>): SessionHeadline {
  return {
    sessionId: session.sessionId,
    customerNumber: session.customerNumber,
    merchantName: session.merchant.name,
    amount: session.transaction.amount,
    currency: session.transaction.currency,
    cardNumber: session.transaction.cardNumber ?? null,
    receivedAt: session.receivedAt,
  };
}
