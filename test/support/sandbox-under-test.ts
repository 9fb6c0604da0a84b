/**
 * The sandbox (apps/sandbox) as a real process beside the API and worker under
 * test: its Enfuce ID is the one the authenticator calls back (ENFUCE_CALLBACK_BASE_URL),
 * and its virtual cardholders enroll with the authenticator under test, so a
 * purchase crosses every party over HTTP.
 */
import request from 'supertest';
import { AssentUnderTest, Options, startedInBeforeAll, useAssentUnderTest } from './assent-under-test';
import { freePort, ServiceProcess } from './processes';

export interface SandboxOptions extends Options {
  /** Enfuce ID's deadline at start (SANDBOX_ENFUCE_DEADLINE_SECONDS); tests may also change it through /sandbox/settings. */
  enfuceDeadlineSeconds?: number;
  /** The 3-D Secure server's wait for the directory server (SANDBOX_DS_TIMEOUT_MS). */
  directoryServerTimeoutMs?: number;
}

export const SANDBOX_INSTITUTION = 'sandboxbank';

export class SandboxUnderTest {
  private constructor(
    readonly process: ServiceProcess,
    readonly url: string,
  ) {}

  static async start(system: AssentUnderTest, port: number, options: SandboxOptions): Promise<SandboxUnderTest> {
    const env = system.env;
    const url = `http://127.0.0.1:${port}`;
    const sandbox = new SandboxUnderTest(
      ServiceProcess.start('sandbox', {
        LOG_LEVEL: 'info',
        SANDBOX_PORT: String(port),
        SANDBOX_PUBLIC_URL: url,
        SANDBOX_AUTHENTICATOR_URL: system.apiUrl,
        SANDBOX_INSTITUTION_CODE: SANDBOX_INSTITUTION,
        SANDBOX_ENFUCE_DEADLINE_SECONDS: String(options.enfuceDeadlineSeconds ?? 150),
        SANDBOX_DS_TIMEOUT_MS: String(options.directoryServerTimeoutMs ?? 10000),
        ENFUCE_WEBHOOK_USERNAME: env.ENFUCE_WEBHOOK_USERNAME,
        ENFUCE_WEBHOOK_PASSWORD: env.ENFUCE_WEBHOOK_PASSWORD,
        ENFUCE_CALLBACK_USERNAME: env.ENFUCE_CALLBACK_USERNAME,
        ENFUCE_CALLBACK_PASSWORD: env.ENFUCE_CALLBACK_PASSWORD,
        ISSUER_API_USERNAME: env.ISSUER_API_USERNAME,
        ISSUER_API_PASSWORD: env.ISSUER_API_PASSWORD,
      }),
      url,
    );
    // Ready once its virtual cardholders have enrolled with the authenticator under test.
    await sandbox.process.waitUntilReady(`${url}/health/ready`);
    return sandbox;
  }

  http() {
    return request(this.url);
  }

  /** Runs purchases through every party (POST /sandbox/purchases) and returns the sandbox's report. */
  async purchases(run: { behaviour: string; count?: number; concurrency?: number; itemId?: string }): Promise<Record<string, any>> {
    const response = await this.http().post('/sandbox/purchases').send(run);
    if (response.status !== 200) throw new Error(`POST /sandbox/purchases answered ${response.status}: ${JSON.stringify(response.body)}`);
    return response.body;
  }

  async settings(update: object): Promise<void> {
    await this.http().put('/sandbox/settings').send(update).expect(200);
  }

  async enfuceSession(sessionId: string): Promise<Record<string, any>> {
    return (await this.http().get(`/sandbox/enfuce/sessions/${sessionId}`).expect(200)).body;
  }

  /** Polls Enfuce ID's view of a session until `done` holds. */
  async enfuceSessionWhen(sessionId: string, done: (session: Record<string, any>) => boolean, timeoutMs = 20000): Promise<Record<string, any>> {
    const deadline = Date.now() + timeoutMs;
    let session = await this.enfuceSession(sessionId);
    while (!done(session)) {
      if (Date.now() > deadline) throw new Error(`Enfuce ID session ${sessionId} did not get there within ${timeoutMs} ms: ${JSON.stringify(session)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
      session = await this.enfuceSession(sessionId);
    }
    return session;
  }

  stop(): Promise<number | null> {
    return this.process.stop();
  }
}

/**
 * The authenticator (API and worker) and the sandbox for a whole spec file,
 * started before its tests and stopped after them; a failing test prints the
 * sandbox's log as well as the authenticator's.
 */
export function useSandboxUnderTest(options: SandboxOptions = {}): { system: AssentUnderTest; sandbox: SandboxUnderTest } {
  let port = 0;
  let sandbox: SandboxUnderTest | undefined;
  beforeAll(async () => {
    port = await freePort();
  });
  const system = useAssentUnderTest(() => ({
    ...options,
    extraEnv: { ENFUCE_CALLBACK_BASE_URL: `http://127.0.0.1:${port}/enfuceid/api/v1/callback`, ...options.extraEnv },
  }));
  beforeAll(async () => {
    sandbox = await SandboxUnderTest.start(system, port, options);
  });
  afterAll(async () => {
    await sandbox?.stop();
  });
  afterEach(() => {
    const state = expect.getState();
    if (sandbox && state.assertionCalls !== state.numPassingAsserts) console.log(`--- sandbox ---\n${sandbox.process.logs.slice(-20000)}`);
  });
  return { system, sandbox: startedInBeforeAll(() => sandbox) };
}
