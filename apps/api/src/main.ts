import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { ConfigError, parseEnvironment } from '@assent/config';
import { AuditLog } from '@assent/persistence';
import { closeOnSignals } from '@assent/queue';
import { ApiModule } from './api.module';

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
  });
  const app = await NestFactory.create<NestFastifyApplication>(ApiModule.forRoot(env), adapter, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  closeOnSignals(app, app.get(Logger), async () => {
    // The requests in hand first, then the audit events they left writing in the
    // background: Nest closes the database right after the HTTP server, and TypeORM
    // cuts off queries still running, which could then be written twice.
    await app.getHttpAdapter().close();
    await app.get(AuditLog).settled();
  });
  await app.listen({ port: env.PORT, host: '0.0.0.0' });
  app.get(Logger).log({ port: env.PORT }, 'API listening');
}

bootstrap().catch((error) => {
  // A configuration error names the variable; print it plainly and stop.
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
