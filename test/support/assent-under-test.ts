/**
 * The whole service under test: the built API and worker processes on the real
 * Redis and Postgres, with stand-ins for the parties outside the product (Enfuce
 * ID and a Web Push service) that speak the real protocols, and a software
 * authenticator doing the real WebAuthn crypto.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import request from 'supertest';
import webpush from 'web-push';
import { parseRedisEnvironment } from '@assent/config';
import { createRedis, primariesOf, RedisConnection } from '@assent/queue';
import { RedisKeys } from '@assent/sessions';
import { EnfuceStandIn } from './enfuce-stand-in';
import { freePort, ServiceProcess } from './processes';
import { PushServiceStandIn, StandInSubscription } from './push-service';
import { SoftAuthenticator } from '../../apps/sandbox/src/cardholder/soft-authenticator';
import { TEST_DATABASE_URL, TEST_REDIS_URL } from './test-database';

export const WEBHOOK_CREDENTIALS = { username: 'enfuce-test', password: 'webhook-test-password' };
export const CALLBACK_CREDENTIALS = { username: 'assent-test', password: 'callback-test-password' };
export const ISSUER_CREDENTIALS = { username: 'issuer-test', password: 'issuer-test-password' };
export const INSTITUTION = 'testbank';

export interface EnrolledDevice {
  deviceId: string;
  token: string;
  customerNumber: string;
  authenticator: SoftAuthenticator;
  subscription?: StandInSubscription;
}

export interface Options {
  authTimeoutSeconds?: number;
  callbackAttemptTimeoutMs?: number;
  pushRequestTimeoutMs?: number;
  /** Another Redis than the machine's, for tests that stop it. */
  redisUrl?: string;
  /**
   * A Redis deployment by its variables instead of REDIS_URL (REDIS_SENTINELS and
   * REDIS_SENTINEL_MASTER_NAME, or REDIS_CLUSTER_NODES): the processes get them, and
   * the harness's own client connects the way the service does, so it follows a failover too.
   */
  redisDeployment?: Record<string, string>;
  /** Another database than the tests' (the benchmark's). */
  databaseUrl?: string;
  /** API processes to start, each on its own port (1 unless told). */
  apis?: number;
  /** Worker processes to start with the API (1 unless told). */
  workers?: number;
  extraEnv?: Record<string, string>;
}

export class AssentUnderTest {
  readonly prefix = `t${randomBytes(5).toString('hex')}`;
  /** The API processes, sharing everything but their port; `http()` talks to the first. */
  apis: ServiceProcess[] = [];
  apiUrls: string[] = [];
  workers: ServiceProcess[] = [];
  enfuce!: EnfuceStandIn;
  pushService!: PushServiceStandIn;
  /** The test's own client, on the service's Redis; it waits for Redis rather than failing, as the worker's does. */
  redis!: RedisConnection;
  /** The service's keys, to read what it stored. */
  readonly keys = new RedisKeys(this.prefix);
  db!: Client;
  /** The first API's environment; the workers and the other APIs differ from it in PORT only. */
  env!: Record<string, string>;
  private readonly vapid = webpush.generateVAPIDKeys();

  /** The first API process (a spec may replace it with a restarted one). */
  get api(): ServiceProcess {
    return this.apis[0];
  }

  set api(process: ServiceProcess) {
    this.apis[0] = process;
  }

  /** The first API's URL, which is also the public origin every API is configured with. */
  get apiUrl(): string {
    return this.apiUrls[0];
  }

  static async start(options: Options = {}): Promise<AssentUnderTest> {
    const system = new AssentUnderTest();
    await system.boot(options);
    return system;
  }

  private async boot(options: Options): Promise<void> {
    this.enfuce = await EnfuceStandIn.start(CALLBACK_CREDENTIALS);
    this.pushService = await PushServiceStandIn.start({ expectedVapidPublicKey: this.vapid.publicKey });
    const redisEnv = options.redisDeployment ?? { REDIS_URL: options.redisUrl ?? TEST_REDIS_URL };
    this.redis = createRedis(parseRedisEnvironment(redisEnv), 'worker');
    this.db = new Client({ connectionString: options.databaseUrl ?? TEST_DATABASE_URL });
    await this.db.connect();
    const ports = await Promise.all(Array.from({ length: options.apis ?? 1 }, () => freePort()));
    this.apiUrls = ports.map((port) => `http://localhost:${port}`);
    this.env = {
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      PORT: String(ports[0]),
      WORKER_HEALTH_PORT: '0',
      DATABASE_URL: options.databaseUrl ?? TEST_DATABASE_URL,
      ...redisEnv,
      REDIS_KEY_PREFIX: this.prefix,
      // One public origin for every API, as behind one load balancer: the cardholder's
      // browser (the software authenticator) signs that origin whichever API a request reaches.
      PUBLIC_BASE_URL: this.apiUrl,
      ENFUCE_WEBHOOK_USERNAME: WEBHOOK_CREDENTIALS.username,
      ENFUCE_WEBHOOK_PASSWORD: WEBHOOK_CREDENTIALS.password,
      ENFUCE_CALLBACK_BASE_URL: this.enfuce.callbackBaseUrl,
      ENFUCE_CALLBACK_USERNAME: CALLBACK_CREDENTIALS.username,
      ENFUCE_CALLBACK_PASSWORD: CALLBACK_CREDENTIALS.password,
      AUTH_TIMEOUT_SECONDS: String(options.authTimeoutSeconds ?? 30),
      CALLBACK_ATTEMPT_TIMEOUT_MS: String(options.callbackAttemptTimeoutMs ?? 2000),
      PUSH_REQUEST_TIMEOUT_MS: String(options.pushRequestTimeoutMs ?? 2000),
      PUSH_ALLOWED_HOSTS: 'localhost',
      ISSUER_API_USERNAME: ISSUER_CREDENTIALS.username,
      ISSUER_API_PASSWORD: ISSUER_CREDENTIALS.password,
      VAPID_PUBLIC_KEY: this.vapid.publicKey,
      VAPID_PRIVATE_KEY: this.vapid.privateKey,
      VAPID_SUBJECT: 'mailto:ops@assent.test',
      WEBAUTHN_RP_ID: 'localhost',
      WEBAUTHN_ORIGINS: this.apiUrl,
      APPROVAL_TOKEN_SECRET: randomBytes(32).toString('base64url'),
      // The push stand-in's self-signed certificate, trusted as an operator would trust a private CA.
      NODE_EXTRA_CA_CERTS: this.pushService.caCertPath,
      // Every test comes from one IP and enrolls many devices, and the fault suite's load decides
      // many times a second per device; rate-limits.e2e-spec.ts sets real limits.
      RATE_LIMIT_REGISTRATIONS_PER_MINUTE: '10000',
      RATE_LIMIT_DECISIONS_PER_MINUTE: '10000',
      RATE_LIMIT_ADMIN_SIGN_INS_PER_MINUTE: '10000',
      RATE_LIMIT_ENROLLMENTS_PER_MINUTE: '10000',
      ...options.extraEnv,
    };
    this.apis = ports.map((port) => ServiceProcess.start('api', { ...this.env, PORT: String(port) }));
    await Promise.all(this.apis.map((api, i) => api.waitUntilReady(`${this.apiUrls[i]}/health/ready`)));
    for (let i = 0; i < (options.workers ?? 1); i++) await this.startWorker();
  }

  async startWorker(): Promise<ServiceProcess> {
    const worker = ServiceProcess.start('worker', this.env);
    this.workers.push(worker);
    // The worker has no HTTP port in tests; it is ready when it says so.
    const deadline = Date.now() + 20000;
    while (!worker.logs.includes('Worker started')) {
      if (!worker.running || Date.now() > deadline) throw new Error(`worker did not start:\n${worker.logs}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return worker;
  }

  async stop(): Promise<void> {
    await Promise.all([...this.apis, ...this.workers].map((process) => process.stop()));
    await Promise.all([this.enfuce?.stop(), this.pushService?.stop()]);
    if (this.redis?.status === 'ready') {
      for (const primary of primariesOf(this.redis)) {
        const keys = await primary.keys(this.keys.all());
        for (let i = 0; i < keys.length; i += 500) await primary.del(...keys.slice(i, i + 500));
      }
    }
    this.redis?.disconnect();
    await this.db?.end();
  }

  http() {
    return request(this.apiUrl);
  }

  /** Requests to API `index` (0 is the first, the one `http()` talks to). */
  httpTo(index: number) {
    return request(this.apiUrls[index]);
  }

  /**
   * The same system with every request of its helpers (`webhook`, `approve`,
   * `decline`, `enrollDevice`, …) sent to API `index`, as a load balancer might route them.
   */
  via(index: number): AssentUnderTest {
    const routed = Object.create(this) as AssentUnderTest;
    routed.http = () => this.httpTo(index);
    return routed;
  }

  /** The issuer's backend asks for an activation code for a cardholder. */
  async activationCode(customerNumber: string): Promise<string> {
    const enrollment = await this.http()
      .post('/api/v1/enrollments')
      .auth(ISSUER_CREDENTIALS.username, ISSUER_CREDENTIALS.password)
      .send({ customerNumber, displayName: 'Maria Test' })
      .expect(201);
    return enrollment.body.activationCode;
  }

  /** The issuer creates an activation code; the device registers a passkey with it. */
  async enrollDevice(options: { customerNumber?: string; push?: boolean; name?: string } = {}): Promise<EnrolledDevice> {
    const customerNumber = options.customerNumber ?? newCustomerNumber();
    const activationCode = await this.activationCode(customerNumber);
    const authenticator = new SoftAuthenticator({ origin: this.apiUrl });
    const creationOptions = await this.http().post('/api/v1/devices/registration-options').send({ activationCode }).expect(200);
    const subscription = options.push === false ? undefined : this.pushService.createSubscription();
    const registered = await this.http()
      .post('/api/v1/devices')
      .send({
        activationCode,
        credential: authenticator.register(creationOptions.body),
        pushSubscription: subscription && { endpoint: subscription.endpoint, keys: subscription.keys },
        name: options.name ?? 'Test phone',
      })
      .expect(201);
    return { deviceId: registered.body.deviceId, token: registered.body.deviceToken, customerNumber, authenticator, subscription };
  }

  webhookBody(customerNumber: string, sessionId: string, overrides: Record<string, unknown> = {}) {
    return {
      callbackUrl: this.enfuce.callbackUrlFor(INSTITUTION, customerNumber, sessionId),
      transaction: {
        type: 'PAYMENT',
        cardId: '801476123',
        cardNumber: '342170______9554',
        timestamp: new Date().toISOString(),
        amount: { amount: 3.14, currency: 'EUR' },
      },
      merchant: {
        description: 'Airline ticket',
        name: 'Airline of the world inc.',
        country: 'FIN',
        url: 'https://www.airline.com/order/64674',
      },
      ...overrides,
    };
  }

  /** Enfuce ID calls the webhook. */
  webhook(customerNumber: string, sessionId: string, body: object = this.webhookBody(customerNumber, sessionId)) {
    return this.http()
      .post(`/v1/authenticate/${customerNumber}/${sessionId}`)
      .auth(WEBHOOK_CREDENTIALS.username, WEBHOOK_CREDENTIALS.password)
      .send(body);
  }

  /** Asks for the transaction-bound options and answers them; returns whichever answer ended the exchange. */
  async approve(device: EnrolledDevice, sessionId: string) {
    const options = await this.http()
      .post(`/api/v1/device/challenges/${sessionId}/assertion-options`)
      .set('authorization', `Bearer ${device.token}`);
    if (options.status !== 200) return options;
    return this.http()
      .post(`/api/v1/device/challenges/${sessionId}/decision`)
      .set('authorization', `Bearer ${device.token}`)
      .send({ decision: 'approve', credential: device.authenticator.assert(options.body) });
  }

  decline(device: EnrolledDevice, sessionId: string, reason?: 'not_me' | 'other') {
    return this.http()
      .post(`/api/v1/device/challenges/${sessionId}/decision`)
      .set('authorization', `Bearer ${device.token}`)
      .send({ decision: 'decline', reason });
  }

  /** The Postgres summary of a session once its callback has settled. */
  async settledSummary(sessionId: string, timeoutMs = 10000): Promise<Record<string, any>> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const { rows } = await this.db.query('SELECT * FROM authentication_sessions WHERE session_id = $1 AND callback_outcome IS NOT NULL', [sessionId]);
      if (rows[0]) return rows[0];
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`Session ${sessionId} was not settled in Postgres within ${timeoutMs} ms`);
  }

  /** Prints the processes' logs when a test fails, where they explain the most. */
  dumpLogs(): string {
    return [...this.apis, ...this.workers].map((p) => `--- ${p.name} (pid ${p.pid}) ---\n${p.logs}`).join('\n');
  }
}

/**
 * One system for a whole spec file: started before its tests, stopped after them,
 * with the processes' logs printed under a failing test, where they explain most.
 * `options` may be a function, for options known only once other beforeAll hooks ran.
 */
export function useAssentUnderTest(options: Options | (() => Options) = {}): AssentUnderTest {
  let system: AssentUnderTest | undefined;
  beforeAll(async () => {
    system = await AssentUnderTest.start(typeof options === 'function' ? options() : options);
  });
  afterAll(async () => {
    await system?.stop();
  });
  afterEach(() => {
    const state = expect.getState();
    if (system && state.assertionCalls !== state.numPassingAsserts) console.log(system.dumpLogs().slice(-20000));
  });
  return startedInBeforeAll(() => system);
}

/** Lets tests use an object that a beforeAll hook creates as if it existed already. */
export function startedInBeforeAll<T extends object>(current: () => T | undefined): T {
  const started = () => {
    const value = current();
    if (!value) throw new Error('This is started in beforeAll; use it inside tests and hooks');
    return value;
  };
  return new Proxy({} as T, {
    get(_target, property) {
      const target = started();
      const value = Reflect.get(target, property);
      return typeof value === 'function' ? value.bind(target) : value;
    },
    set(_target, property, value) {
      return Reflect.set(started(), property, value);
    },
  });
}

export function newCustomerNumber(): string {
  return String(100000000 + Math.floor(Math.random() * 899999999));
}

export function newSessionId(): string {
  return randomUUID();
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
