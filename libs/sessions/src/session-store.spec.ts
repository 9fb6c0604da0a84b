import { getQueueToken } from '@nestjs/bullmq';
import { Test } from '@nestjs/testing';
import { Queue } from 'bullmq';
import { randomBytes, randomUUID } from 'node:crypto';
import { ConfigModule, parseEnvironment } from '@assent/config';
import { SessionState } from '@assent/domain';
import { createRedis, jobIds, QueueModule, QueueName, REDIS, RedisConnection } from '@assent/queue';
import { DeviceIndex } from './device-index';
import { RedisKeys } from './redis-keys';
import { SessionsModule } from './sessions.module';
import { SessionEvent } from './session-events';
import { SessionStore } from './session-store';
import { NewSession } from './stored-session';

// Against the machine's real Redis, under a key prefix of this run's own.
const prefix = `spec${randomBytes(4).toString('hex')}`;
const env = parseEnvironment({
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/assent_test',
  REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
  REDIS_KEY_PREFIX: prefix,
  AUTH_TIMEOUT_SECONDS: '120',
  PUBLIC_BASE_URL: 'http://localhost:3000',
  ENFUCE_WEBHOOK_USERNAME: 'u',
  ENFUCE_WEBHOOK_PASSWORD: 'p',
  ENFUCE_CALLBACK_BASE_URL: 'https://id.enfuce.test/v1/callback',
  ENFUCE_CALLBACK_USERNAME: 'u',
  ENFUCE_CALLBACK_PASSWORD: 'p',
  ISSUER_API_USERNAME: 'u',
  ISSUER_API_PASSWORD: 'p',
  VAPID_PUBLIC_KEY: 'BOgvtnvvKW0p7-i0AjgH1HUOd8k80ItIDAoqe4KhgE6ld-ns72GD3nF0yPjFTJU8MQzDSRtPD7lAdy4zXXierXo',
  VAPID_PRIVATE_KEY: 'j5cye32RF9L8dFoh47HsViLCKoBOxXBunc9XkIPnXTc',
  VAPID_SUBJECT: 'mailto:spec@example.com',
  WEBAUTHN_RP_ID: 'localhost',
  WEBAUTHN_ORIGINS: 'http://localhost:3000',
  APPROVAL_TOKEN_SECRET: 'x'.repeat(32),
});

const redisKeys = new RedisKeys(prefix);

describe('SessionStore on a real Redis', () => {
  let store: SessionStore;
  let deviceIndex: DeviceIndex;
  let redis: RedisConnection;
  let queues: Record<Exclude<QueueName, QueueName.Records>, Queue>;
  let close: () => Promise<void>;

  beforeAll(async () => {
    const module = await Test.createTestingModule({
      imports: [ConfigModule.forRoot(env), QueueModule.forRoot('api'), SessionsModule],
    }).compile();
    await module.init();
    store = module.get(SessionStore);
    deviceIndex = module.get(DeviceIndex);
    redis = module.get(REDIS);
    queues = {
      [QueueName.Push]: module.get(getQueueToken(QueueName.Push)),
      [QueueName.Timeout]: module.get(getQueueToken(QueueName.Timeout)),
      [QueueName.Callback]: module.get(getQueueToken(QueueName.Callback)),
    };
    close = async () => {
      await module.close();
      const keys = await redis.keys(redisKeys.all());
      if (keys.length) await redis.del(...keys);
      await redis.quit();
    };
  });
  afterAll(async () => {
    await close();
  });

  async function cardholderWithDevice(): Promise<string> {
    const customerNumber = `c${randomBytes(4).toString('hex')}`;
    await deviceIndex.add(customerNumber, randomUUID());
    return customerNumber;
  }

  function newSession(customerNumber: string, receivedAt = Date.now()): NewSession {
    const sessionId = randomUUID();
    return {
      sessionId,
      customerNumber,
      institutionCode: 'bank',
      callbackUrl: `https://id.enfuce.test/v1/callback/bank/${customerNumber}/${sessionId}`,
      receivedAt,
      transaction: { amount: 3.14, currency: 'EUR', cardNumber: '342170______9554' },
      merchant: { name: 'Airline of the world inc.' },
    };
  }

  it('stores a new session as PENDING and queues its push now and its timeout at AUTH_TIMEOUT_SECONDS', async () => {
    const session = newSession(await cardholderWithDevice());
    expect(await store.create(session, 'fingerprint-a')).toBe('created');

    const stored = await store.get(session.sessionId);
    expect(stored).toMatchObject({ state: SessionState.Pending, expiresAt: session.receivedAt + 120_000, transaction: session.transaction });
    // A version-4 UUID: 122 random bits.
    expect(stored!.nonce).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(await queues.push.getJobState(jobIds.push(session.sessionId))).toBe('waiting');
    const timeout = await queues.timeout.getJob(jobIds.timeout(session.sessionId));
    expect(await timeout!.getState()).toBe('delayed');
    // Due at the session's expiry, give or take the milliseconds between computing the delay and stamping the job.
    expect(Math.abs(timeout!.timestamp + timeout!.delay - (session.receivedAt + 120_000))).toBeLessThan(100);
  });

  it('answers duplicate for the same content and conflict for other content, changing nothing', async () => {
    const session = newSession(await cardholderWithDevice());
    await store.create(session, 'fingerprint-a');
    const before = await redis.hgetall(redisKeys.session(session.sessionId));

    expect(await store.create({ ...session, receivedAt: session.receivedAt + 5000 }, 'fingerprint-a')).toBe('duplicate');
    expect(await store.create(session, 'fingerprint-b')).toBe('conflict');
    expect(await redis.hgetall(redisKeys.session(session.sessionId))).toEqual(before);
    expect(await queues.push.getJobCountByTypes('waiting', 'active', 'completed')).toBeGreaterThan(0);
  });

  it('refuses a cardholder without an active device, storing and queueing nothing', async () => {
    const session = newSession(`nobody${randomBytes(3).toString('hex')}`);
    expect(await store.create(session, 'fingerprint')).toBe('no_device');
    expect(await redis.exists(redisKeys.session(session.sessionId))).toBe(0);
    expect(await queues.push.getJob(jobIds.push(session.sessionId))).toBeUndefined();
    expect(await queues.timeout.getJob(jobIds.timeout(session.sessionId))).toBeUndefined();
  });

  it('queues the jobs on the retry when the first request died between storing and queueing', async () => {
    const session = newSession(await cardholderWithDevice());
    await store.create(session, 'fingerprint-a');
    // As if the process had died after the Lua script: the session is stored, no job is queued.
    await queues.push.remove(jobIds.push(session.sessionId));
    await queues.timeout.remove(jobIds.timeout(session.sessionId));

    const retryAt = session.receivedAt + 3000;
    expect(await store.create({ ...session, receivedAt: retryAt }, 'fingerprint-a')).toBe('duplicate');
    expect(await queues.push.getJobState(jobIds.push(session.sessionId))).toBe('waiting');
    const timeout = await queues.timeout.getJob(jobIds.timeout(session.sessionId));
    // Timed from the first request, not from the retry 3 s later.
    expect(Math.abs(timeout!.timestamp + timeout!.delay - (session.receivedAt + 120_000))).toBeLessThan(100);
  });

  it('lets exactly one of many concurrent settlements win, and queues one callback job with the deadline', async () => {
    const session = newSession(await cardholderWithDevice());
    await store.create(session, 'fingerprint');
    const states = [SessionState.Approved, SessionState.Declined, SessionState.Timeout, SessionState.Error] as const;
    const outcomes = await Promise.all(Array.from({ length: 12 }, (_, i) => store.settle(session, { state: states[i % 4] })));

    const winners = outcomes.filter((outcome) => outcome.outcome === 'settled');
    expect(winners).toHaveLength(1);
    const final = (await store.get(session.sessionId))!.state;
    for (const outcome of outcomes.filter((o) => o.outcome === 'already')) expect(outcome).toEqual({ outcome: 'already', state: final });
    const callback = await queues.callback.getJob(jobIds.callback(session.sessionId));
    expect(callback!.data).toEqual({ sessionId: session.sessionId, customerNumber: session.customerNumber, deadlineAt: session.receivedAt + 150_000 });
    expect(await queues.callback.getJobCountByTypes('waiting')).toBeGreaterThanOrEqual(1);
  });

  it('lists only pending, unexpired sessions for the poll fallback', async () => {
    const customerNumber = await cardholderWithDevice();
    const open = newSession(customerNumber);
    const decided = newSession(customerNumber);
    await store.create(open, 'a');
    await store.create(decided, 'b');
    await store.settle(decided, { state: SessionState.Declined, declineReason: 'not_me' });

    const pending = await store.pendingFor(customerNumber);
    expect(pending.map((session) => session.sessionId)).toEqual([open.sessionId]);
    expect((await store.get(decided.sessionId))!.declineReason).toBe('not_me');
  });

  it('records the callback outcome once', async () => {
    const session = newSession(await cardholderWithDevice());
    await store.create(session, 'fingerprint');
    await store.settle(session, { state: SessionState.Approved });
    const settledAt = await store.settleCallback(session.sessionId, 'delivered');
    expect(settledAt).toEqual(expect.any(Number));
    expect(await store.settleCallback(session.sessionId, 'rejected')).toBeNull();
    expect(await store.get(session.sessionId)).toMatchObject({ callbackOutcome: 'delivered', callbackSettledAt: settledAt });
  });

  it('publishes each state change exactly once, and nothing for a duplicate, a conflict, a refusal or a lost race', async () => {
    const subscriber = createRedis(env, 'worker');
    const events: SessionEvent[] = [];
    subscriber.on('message', (_channel: string, message: string) => events.push(JSON.parse(message)));
    await subscriber.subscribe(redisKeys.sessionEvents());
    try {
      const session = newSession(await cardholderWithDevice());
      await store.create(session, 'fingerprint-a');
      await store.create(session, 'fingerprint-a');
      await store.create(session, 'fingerprint-b');
      await store.create(newSession(`nobody${randomBytes(3).toString('hex')}`), 'fingerprint');
      await Promise.all([
        store.settle(session, { state: SessionState.Declined, decidedByDeviceId: 'device-1', declineReason: 'not_me' }),
        store.settle(session, { state: SessionState.Timeout }),
      ]);
      await store.settleCallback(session.sessionId, 'delivered');
      await store.settleCallback(session.sessionId, 'rejected');
      await new Promise((resolve) => setTimeout(resolve, 100));

      expect(events.map((event) => event.type)).toEqual(['session.received', 'session.settled', 'callback.settled']);
      const headline = {
        sessionId: session.sessionId,
        customerNumber: session.customerNumber,
        merchantName: 'Airline of the world inc.',
        amount: 3.14,
        currency: 'EUR',
        cardNumber: '342170______9554',
        receivedAt: session.receivedAt,
      };
      expect(events[0]).toEqual({ type: 'session.received', at: session.receivedAt, session: headline });
      const final = (await store.get(session.sessionId))!;
      expect(events[1]).toEqual({
        type: 'session.settled',
        at: final.settledAt,
        session: { ...headline, state: final.state, ...(final.state === SessionState.Declined ? { decidedByDeviceId: 'device-1', declineReason: 'not_me' } : {}) },
      });
      expect(events[2]).toEqual({ type: 'callback.settled', at: final.callbackSettledAt, sessionId: session.sessionId, callbackOutcome: 'delivered' });
    } finally {
      await subscriber.quit();
    }
  });
});
