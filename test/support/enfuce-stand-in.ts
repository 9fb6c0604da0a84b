/**
 * A stand-in for Enfuce ID in end-to-end tests: it sends the OOB webhook as Enfuce
 * does (contract §1) and serves the result callback as seed 000 describes —
 * Basic auth checked, the body validated, 401/404 with errorResponse bodies — and
 * counts every delivery so tests can prove "exactly once".
 */
import { randomUUID } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedCallback {
  institutionCode: string;
  customerNumber: string;
  sessionId: string;
  result: string;
  receivedAt: number;
}

/** An error status, a slow answer (`delayMs`, then the normal answer unless `status` is set), a hang, or a dropped connection. */
type Fault = { status?: number; delayMs?: number } | 'hang' | 'drop';

const RESULTS = new Set(['SUCCESS', 'FAIL', 'ERROR', 'TIMEOUT']);

export class EnfuceStandIn {
  /** Accepted callbacks, in order. */
  readonly callbacks: ReceivedCallback[] = [];
  /** Every callback request, including refused ones. */
  requests = 0;
  private faults: Fault[] = [];
  private readonly hung = new Set<ServerResponse>();

  private constructor(
    private readonly server: Server,
    readonly baseUrl: string,
    private readonly credentials: { username: string; password: string },
  ) {}

  /** Enfuce's callback endpoint goes away: connections are refused until comeBack(). */
  async goDown(): Promise<void> {
    const closed = new Promise((resolve) => this.server.close(resolve));
    for (const res of this.hung) res.destroy();
    this.server.closeAllConnections();
    await closed;
  }

  async comeBack(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(Number(new URL(this.baseUrl).port), '127.0.0.1', resolve));
  }

  static async start(credentials: { username: string; password: string }): Promise<EnfuceStandIn> {
    let standIn: EnfuceStandIn | undefined;
    const server = createServer((req, res) => void standIn!.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    standIn = new EnfuceStandIn(server, `http://127.0.0.1:${port}`, credentials);
    return standIn;
  }

  /** The base our service must be configured with (ENFUCE_CALLBACK_BASE_URL). */
  get callbackBaseUrl(): string {
    return `${this.baseUrl}/v1/callback`;
  }

  callbackUrlFor(institutionCode: string, customerNumber: string, sessionId: string): string {
    return `${this.callbackBaseUrl}/${institutionCode}/${customerNumber}/${sessionId}`;
  }

  /** The next callbacks meet these faults, one each, in order; later ones are accepted. */
  failNext(...faults: Fault[]): void {
    this.faults.push(...faults);
  }

  callbacksFor(sessionId: string): ReceivedCallback[] {
    return this.callbacks.filter((callback) => callback.sessionId === sessionId);
  }

  async waitForCallback(sessionId: string, timeoutMs = 15000): Promise<ReceivedCallback> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const [callback] = this.callbacksFor(sessionId);
      if (callback) return callback;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`No callback for session ${sessionId} within ${timeoutMs} ms (${this.requests} callback requests seen)`);
  }

  async stop(): Promise<void> {
    if (this.server.listening) await this.goDown();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const match = /^\/v1\/callback\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(req.url ?? '');
    if (req.method !== 'POST' || !match) return this.error(res, 404, 'No such endpoint');
    this.requests += 1;
    const body = await readBody(req);
    const fault = this.faults.shift();
    if (fault === 'hang') {
      this.hung.add(res);
      return;
    }
    if (fault === 'drop') {
      req.socket.destroy();
      return;
    }
    if (fault?.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    if (fault?.status) return this.error(res, fault.status, 'Injected fault');
    if (!this.authorized(req.headers.authorization)) return this.error(res, 401, 'Unauthorized');
    let parsed: { result?: unknown };
    try {
      parsed = JSON.parse(body);
    } catch {
      return this.error(res, 400, 'Malformed JSON');
    }
    if (typeof parsed.result !== 'string' || !RESULTS.has(parsed.result)) return this.error(res, 400, 'Invalid result');
    const [, institutionCode, customerNumber, sessionId] = match;
    this.callbacks.push({ institutionCode, customerNumber, sessionId, result: parsed.result, receivedAt: Date.now() });
    res.writeHead(200).end();
  }

  private authorized(header: string | undefined): boolean {
    const expected = Buffer.from(`${this.credentials.username}:${this.credentials.password}`).toString('base64');
    return header === `Basic ${expected}`;
  }

  private error(res: ServerResponse, status: number, message: string): void {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        code: String(status),
        message,
        id: randomUUID(),
        errorCode: String(status),
        errorType: status === 401 || status === 403 ? 'SECURITY_ERROR' : 'UNEXPECTED_ERROR',
        errorReason: message,
        timestamp: new Date().toISOString(),
      }),
    );
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}
