/**
 * The dashboard's users in end-to-end tests: created with the real CLI
 * (`npm run admin:create`, password on standard input), signed in over HTTP as a
 * browser would be, carrying the session cookie and the CSRF token.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import request from 'supertest';
import type { AssentUnderTest } from './assent-under-test';
import { TEST_DATABASE_URL } from './test-database';

export type AdminRole = 'viewer' | 'operator' | 'admin';

export interface AdminAccount {
  email: string;
  password: string;
  role: AdminRole;
}

const CLI = join(__dirname, '..', '..', 'dist', 'apps', 'api', 'src', 'admin', 'admin-create.cli.js');

/** Runs `admin:create` with the password on standard input; resolves with what it printed, rejects with its error output. */
export function runAdminCreate(args: string[], password: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH ?? '', DATABASE_URL: TEST_DATABASE_URL } }, (error, stdout, stderr) =>
      error ? reject(new Error(stderr || error.message)) : resolve(stdout),
    );
    child.stdin!.end(`${password}\n`);
  });
}

export async function createAdmin(role: AdminRole): Promise<AdminAccount> {
  const account = { email: `${role}-${randomBytes(4).toString('hex')}@bank.test`, password: `pw-${randomBytes(9).toString('base64url')}`, role };
  await runAdminCreate(['--email', account.email, '--role', role], account.password);
  return account;
}

export class AdminClient {
  private constructor(
    /** The API this client's requests go to. */
    readonly apiUrl: string,
    readonly cookie: string,
    readonly csrfToken: string,
    readonly account: AdminAccount,
  ) {}

  static async signIn(system: AssentUnderTest, account: AdminAccount): Promise<AdminClient> {
    const response = await request(system.apiUrl).post('/api/v1/admin/sign-in').send({ email: account.email, password: account.password }).expect(200);
    const cookie = String(response.headers['set-cookie']).split(';')[0];
    return new AdminClient(system.apiUrl, cookie, response.body.csrfToken, account);
  }

  /** The same signed-in browser, its requests going to another API process. */
  via(apiUrl: string): AdminClient {
    return new AdminClient(apiUrl, this.cookie, this.csrfToken, this.account);
  }

  static async as(system: AssentUnderTest, role: AdminRole): Promise<AdminClient> {
    return AdminClient.signIn(system, await createAdmin(role));
  }

  get(path: string) {
    return request(this.apiUrl).get(path).set('cookie', this.cookie);
  }

  /** A change, with the CSRF token unless `csrf` says otherwise. */
  send(method: 'post' | 'patch', path: string, body?: object, csrf: string | null = this.csrfToken) {
    const call = request(this.apiUrl)[method](path).set('cookie', this.cookie);
    if (csrf !== null) call.set('x-csrf-token', csrf);
    return body === undefined ? call : call.send(body);
  }
}

/** The audit events of a kind since a moment, newest first. */
export async function auditEvents(system: AssentUnderTest, type: string, where: { actor?: string; customerNumber?: string; deviceId?: string } = {}) {
  const { rows } = await system.db.query(
    `SELECT * FROM audit_events WHERE type = $1 AND ($2::text IS NULL OR actor = $2) AND ($3::text IS NULL OR customer_number = $3)
       AND ($4::uuid IS NULL OR device_id = $4) ORDER BY id DESC`,
    [type, where.actor ?? null, where.customerNumber ?? null, where.deviceId ?? null],
  );
  return rows;
}

/** Waits for at least `count` audit events matching, since some are written in the background. */
export async function waitForAuditEvents(system: AssentUnderTest, type: string, where: Parameters<typeof auditEvents>[2] = {}, count = 1, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = await auditEvents(system, type, where);
    if (rows.length >= count || Date.now() > deadline) return rows;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export interface ServerSentEvent {
  event: string;
  data: any;
}

/** The dashboard's live stream, read as a browser's EventSource would. */
export class LiveStream {
  readonly events: ServerSentEvent[] = [];
  private readonly abort = new AbortController();
  ended = false;

  private constructor() {}

  /** Opens the stream on the API the client talks to. */
  static async open(client: AdminClient): Promise<LiveStream> {
    const stream = new LiveStream();
    const response = await fetch(`${client.apiUrl}/api/v1/admin/live`, { headers: { cookie: client.cookie, accept: 'text/event-stream' }, signal: stream.abort.signal });
    if (response.status !== 200) throw new Error(`live stream answered ${response.status}`);
    void stream.read(response.body!);
    await stream.waitFor((event) => event.event === 'ready');
    return stream;
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: ?(.*)$/m.exec(block)?.[1] ?? 'message';
          const data = block.split('\n').filter((line) => line.startsWith('data:')).map((line) => line.replace(/^data: ?/, '')).join('\n');
          this.events.push({ event, data: data ? JSON.parse(data) : undefined });
        }
      }
    } catch {
      // aborted by close()
    } finally {
      this.ended = true;
    }
  }

  async waitFor(predicate: (event: ServerSentEvent) => boolean, timeoutMs = 10000): Promise<ServerSentEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.find(predicate);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no such live event; got ${JSON.stringify(this.events.map((e) => e.event === 'session' ? e.data.type : e.event))}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  /** The session events of one session, in arrival order. */
  of(sessionId: string): any[] {
    return this.events.filter((e) => e.event === 'session' && (e.data.sessionId ?? e.data.session?.sessionId) === sessionId).map((e) => e.data);
  }

  close(): void {
    this.abort.abort();
  }
}
