import './tracing';
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { NestFactory } from '@nestjs/core';
import { SwaggerModule } from '@nestjs/swagger';
import fastifyStatic from '@fastify/static';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { ConfigError, parseEnvironment } from '@assent/config';
import { observeQueues, webhookAckSeconds } from '@assent/metrics';
import { AuditLog } from '@assent/persistence';
import { closeOnSignals, queuesOf } from '@assent/queue';
import { recordHttpRoute, tracingStarted } from '@assent/telemetry';
import { mountAdminUi } from './admin/admin-ui';
import { LiveSessionFeed } from './admin/live/live-session-feed';
import { ApiModule } from './api.module';
import { openApiDocument } from './docs/openapi-document';
import { PWA_ROOT } from './pwa/pwa-files';

// Contract §1: a webhook body over 64 KiB is refused with 413 before it is parsed.
const BODY_LIMIT_BYTES = 64 * 1024;

async function bootstrap(): Promise<void> {
  const env = parseEnvironment(process.env);
  // Fastify over Express: the webhook's acknowledgement is the hot path.
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    // Each request's id is a fresh UUID: it is in the request's log line and in any errorResponse.
    genReqId: () => randomUUID(),
    return503OnClosing: true,
    trustProxy: env.TRUST_PROXY_HOPS > 0 ? env.TRUST_PROXY_HOPS : false,
  });
  const app = await NestFactory.create<NestFastifyApplication>(ApiModule.forRoot(env), adapter, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  observeWebhookLatency(app);
  if (tracingStarted()) nameSpansByRoute(app);
  // Every answer gets the security headers; JSON needs no scripts, styles or frames at all.
  // The cardholder app and the dashboard replace this CSP with their own (pwa-files.ts, admin-ui.ts).
  // No CORS plugin is registered: browsers from other origins get no Access-Control-* headers.
  // Helmet's middleware is built once here: @fastify/helmet builds it anew for every
  // request, which cost the webhook a twentieth of its CPU.
  const securityHeaders = helmet({
    contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"], baseUri: ["'none'"] } },
  });
  app.getHttpAdapter().getInstance().addHook('onRequest', (request, reply, done) => {
    securityHeaders(request.raw, reply.raw, (error?: unknown) => done(error as Error | undefined));
  });
  observeQueues(queuesOf(app));
  // Only reply.sendFile, for PwaController; it decides which files exist and how they are cached.
  // Pre-compressed .br/.gz copies from the build are sent to browsers that accept them.
  await app.register(fastifyStatic, { root: PWA_ROOT, serve: false, preCompressed: true });
  closeOnSignals(app, app.get(Logger), async () => {
    // Live dashboard streams never end by themselves, so they go before the server
    // closes; then the requests in hand, then the audit events they left writing in
    // the background: Nest closes the database right after the HTTP server, and
    // TypeORM cuts off queries still running, which could then be written twice.
    await app.get(LiveSessionFeed).close();
    await app.getHttpAdapter().close();
    await app.get(AuditLog).settled();
  });
  await mountAdminUi(app);
  serveApiDocs(app, env.PUBLIC_BASE_URL);
  await app.listen({ port: env.PORT, host: '0.0.0.0' });
  app.get(Logger).log({ port: env.PORT, tracing: tracingStarted() ? 'on' : 'off' }, 'API listening');
}

/** Swagger UI at /docs and the document at /docs/json; the UI needs its own scripts and styles. */
function serveApiDocs(app: NestFastifyApplication, publicBaseUrl: string): void {
  app.getHttpAdapter().getInstance().addHook('onRequest', async (request, reply) => {
    if (request.url === '/docs' || request.url.startsWith('/docs/')) {
      void reply.header('content-security-policy', "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'");
    }
  });
  SwaggerModule.setup('docs', app, openApiDocument(publicBaseUrl), { jsonDocumentUrl: 'docs/json', yamlDocumentUrl: 'docs/yaml' });
}

/** The webhook's acknowledgement time, as Enfuce sees it (minus the network): one histogram observe per request. */
function observeWebhookLatency(app: NestFastifyApplication): void {
  app.getHttpAdapter().getInstance().addHook('onResponse', (request, reply, done) => {
    if (request.url.startsWith('/v1/authenticate/')) webhookAckSeconds.observe({ status: String(reply.statusCode) }, reply.elapsedTime / 1000);
    done();
  });
}

/** Each request's trace span is named by its route ("POST /v1/authenticate/:customerNumber/:sessionId"), not its URL. */
function nameSpansByRoute(app: NestFastifyApplication): void {
  app.getHttpAdapter().getInstance().addHook('onRequest', (request, _reply, done) => {
    recordHttpRoute(request.routeOptions.url);
    done();
  });
}

bootstrap().catch((error) => {
  // A configuration error names the variable; print it plainly and stop.
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
