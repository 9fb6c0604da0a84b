import { createServer, Server } from 'node:http';
import { ReadinessProbe } from '@assent/health';

/**
 * The worker answers no HTTP but its probes: /health/live and /health/ready, as the
 * API does (contract §5), on WORKER_HEALTH_PORT.
 */
export function startHealthServer(port: number, readiness: ReadinessProbe): Promise<Server> {
  const server = createServer(async (request, response) => {
    const reply = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      response.end(JSON.stringify(body));
    };
    if (request.method !== 'GET') return reply(405, { status: 'method not allowed' });
    if (request.url === '/health/live') return reply(200, { status: 'ok' });
    if (request.url === '/health/ready') {
      const report = await readiness.check();
      return reply(report.ready ? 200 : 503, report);
    }
    return reply(404, { status: 'not found' });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '0.0.0.0', () => resolve(server));
  });
}
