import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { ConfigError, parseEnvironment } from '@assent/config';
import { ReadinessProbe } from '@assent/health';
import { observeQueues } from '@assent/metrics';
import { closeOnSignals, queuesOf } from '@assent/queue';
import { startHealthServer } from './health-server';
import { WorkerModule } from './worker.module';

async function bootstrap(): Promise<void> {
  const env = parseEnvironment(process.env);
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(env), { bufferLogs: true });
  const logger = app.get(Logger);
  app.useLogger(logger);
  await app.init();
  observeQueues(queuesOf(app));
  const server = env.WORKER_HEALTH_PORT > 0 ? await startHealthServer(env.WORKER_HEALTH_PORT, app.get(ReadinessProbe), env.METRICS_TOKEN) : undefined;
  // Nest closes the BullMQ workers, which wait for the jobs in hand to finish.
  closeOnSignals(app, logger, async () => {
    server?.close();
  });
  logger.log({ msg: 'Worker started', healthPort: env.WORKER_HEALTH_PORT });
}

bootstrap().catch((error) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
