import { createServer, Server } from 'node:http';
import { bearerTokenMatches } from '@assent/domain';
import { ReadinessProbe } from '@assent/health';
import { METRICS_CONTENT_TYPE, renderMetrics } from '@assent/metrics';

/**
 * The worker answers no HTTP but its probes: /health/live and /health/ready, as the
 * API does (contract §5), and Prometheus's /metrics (with METRICS_TOKEN, as on the
 * API), on WORKER_HEALTH_PORT.
 */
export function startHealthServer(port: number, readiness: ReadinessProbe, metricsToken?: string): Promise<Server> {
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
    if (request.url === '/metrics' && metricsToken) {
      if (!bearerTokenMatches(request.headers.authorization, metricsToken)) {
        response.setHeader('www-authenticate', 'Bearer');
        return reply(401, { status: 'unauthorized' });
      }
      const text = await renderMetrics();
      response.writeHead(200, { 'content-type': METRICS_CONTENT_TYPE, 'cache-control': 'no-store' });
      return response.end(text);
    }
    return reply(404, { status: 'not found' });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '0.0.0.0', () => resolve(server));
  });
}
