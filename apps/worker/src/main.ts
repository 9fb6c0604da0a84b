import './tracing';
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { ConfigError, parseEnvironment } from '@assent/config';
import { ReadinessProbe } from '@assent/health';
import { observeQueues } from '@assent/metrics';
import { closeOnSignals, queuesOf } from '@assent/queue';
import { tracingStarted } from '@assent/telemetry';
import { startHealthServer } from './health-server';
import { CallbackDeliveryProcessor } from './processors/callback-delivery.processor';
import { PushChallengeProcessor } from './processors/push-challenge.processor';
import { RecordsProcessor } from './processors/records.processor';
import { SessionTimeoutProcessor } from './processors/session-timeout.processor';
import { WorkerModule } from './worker.module';

const PROCESSORS = [PushChallengeProcessor, SessionTimeoutProcessor, CallbackDeliveryProcessor, RecordsProcessor];

async function bootstrap(): Promise<void> {
  const env = parseEnvironment(process.env);
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(env), { bufferLogs: true });
  const logger = app.get(Logger);
  app.useLogger(logger);
  await app.init();
  observeQueues(queuesOf(app));
  const server = env.WORKER_HEALTH_PORT > 0 ? await startHealthServer(env.WORKER_HEALTH_PORT, app.get(ReadinessProbe), env.METRICS_TOKEN) : undefined;
  closeOnSignals(app, logger, async () => {
    server?.close();
    // The BullMQ workers first, each waiting for its jobs in hand: those still write
    // to Postgres after their push or callback, and Nest would close the database in
    // the same shutdown step as the workers, losing what they had yet to record.
    await Promise.all(PROCESSORS.map((processor) => app.get(processor).worker.close()));
  });
  logger.log({ msg: 'Worker started', healthPort: env.WORKER_HEALTH_PORT, tracing: tracingStarted() ? 'on' : 'off' });
}

bootstrap().catch((error) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
