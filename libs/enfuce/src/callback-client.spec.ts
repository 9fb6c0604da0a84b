import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { AuthenticationResult } from '@assent/domain';
import { postCallback } from './callback-client';

interface Received {
  method?: string;
  url?: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A real HTTP server on 127.0.0.1 with a random port, recording what it receives. */
class LocalServer {
  readonly received: Received[] = [];
  private readonly sockets = new Set<Socket>();
  private readonly server: Server;

  constructor(private readonly handle: (req: IncomingMessage, res: ServerResponse) => void) {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        this.received.push({ method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        this.handle(req, res);
      });
    });
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  async listen(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

const credentials = { username: 'assent-dev', password: 'pa:ss wörd' };
const expectedAuthorization = `Basic ${Buffer.from('assent-dev:pa:ss wörd', 'utf8').toString('base64')}`;

describe('postCallback', () => {
  const servers: LocalServer[] = [];
  const start = async (handle: (req: IncomingMessage, res: ServerResponse) => void) => {
    const server = await new LocalServer(handle).listen();
    servers.push(server);
    return server;
  };

  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });

  it('POSTs {"result": …} as JSON with the Basic credentials', async () => {
    const server = await start((_req, res) => res.writeHead(204).end());
    const path = '/v1/callback/mycompany/392492402/5d3a3e10-b511-42cd-b9b6-1f2a5701ba98';

    await postCallback(server.url(path), AuthenticationResult.Success, credentials, 2000);

    expect(server.received).toHaveLength(1);
    const [request] = server.received;
    expect(request.method).toBe('POST');
    expect(request.url).toBe(path);
    expect(request.headers['content-type']).toMatch(/^application\/json/);
    expect(request.headers.authorization).toBe(expectedAuthorization);
    expect(request.body).toBe('{"result":"SUCCESS"}');
    expect(JSON.parse(request.body)).toEqual({ result: 'SUCCESS' });
  });

  it.each([AuthenticationResult.Fail, AuthenticationResult.Error, AuthenticationResult.Timeout])('sends the result %s', async (result) => {
    const server = await start((_req, res) => res.writeHead(200).end());
    await postCallback(server.url('/cb'), result, credentials, 2000);
    expect(JSON.parse(server.received[0].body)).toEqual({ result });
  });

  it.each([200, 204, 400, 408, 429, 500, 503])('returns the status %s without an error', async (status) => {
    const server = await start((_req, res) => res.writeHead(status, { 'content-type': 'text/plain' }).end('some body'));
    const outcome = await postCallback(server.url('/cb'), AuthenticationResult.Success, credentials, 2000);
    expect(outcome.status).toBe(status);
    expect(outcome.error).toBeUndefined();
    expect(outcome.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('gives up on a server that never answers and reports a timeout within about the attempt timeout', async () => {
    const server = await start(() => undefined); // reads the request, never responds
    const timeoutMs = 300;
    const started = Date.now();

    const outcome = await postCallback(server.url('/cb'), AuthenticationResult.Success, credentials, timeoutMs);

    const took = Date.now() - started;
    expect(outcome.status).toBeUndefined();
    expect(outcome.error).toMatch(/timed out/);
    expect(took).toBeGreaterThanOrEqual(timeoutMs - 50);
    expect(took).toBeLessThan(timeoutMs + 1500);
    expect(outcome.durationMs).toBeGreaterThanOrEqual(timeoutMs - 50);
    expect(server.received).toHaveLength(1);
  });

  it('stays bounded by the timeout when the answer starts but its body never ends', async () => {
    const server = await start((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('partial'); // and never res.end()
    });
    const started = Date.now();

    const outcome = await postCallback(server.url('/cb'), AuthenticationResult.Success, credentials, 300);

    expect(Date.now() - started).toBeLessThan(1800);
    expect(outcome.status).toBe(200);
  });

  it('reports a refused connection as an error without a status', async () => {
    const server = await start((_req, res) => res.end());
    const url = server.url('/cb');
    await server.close();
    servers.splice(servers.indexOf(server), 1);

    const outcome = await postCallback(url, AuthenticationResult.Success, credentials, 2000);

    expect(outcome.status).toBeUndefined();
    expect(outcome.error).toEqual(expect.any(String));
    expect(outcome.error).not.toBe('');
    expect(outcome.error).toMatch(/ECONNREFUSED/);
  });

  it('does not follow a redirect, so the credentials never reach the redirect target', async () => {
    const target = await start((_req, res) => res.writeHead(200).end());
    const redirecting = await start((_req, res) => res.writeHead(302, { location: target.url('/stolen') }).end());

    const outcome = await postCallback(redirecting.url('/cb'), AuthenticationResult.Success, credentials, 2000);

    expect(redirecting.received).toHaveLength(1);
    expect(target.received).toHaveLength(0);
    // Either outcome is safe: an error without a status, or the 302 itself. Never the target's 200.
    if (outcome.status === undefined) expect(outcome.error).toEqual(expect.stringMatching(/\S/));
    else expect(outcome.status).toBe(302);
  });

  it.each([301, 303, 307, 308])('does not follow a %s redirect either', async (status) => {
    const target = await start((_req, res) => res.writeHead(200).end());
    const redirecting = await start((_req, res) => res.writeHead(status, { location: target.url('/stolen') }).end());

    const outcome = await postCallback(redirecting.url('/cb'), AuthenticationResult.Success, credentials, 2000);

    expect(target.received).toHaveLength(0);
    expect(outcome.status).not.toBe(200);
  });
});
