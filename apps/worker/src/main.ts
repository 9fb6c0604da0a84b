import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { ConfigError, parseEnvironment } from '@assent/config';
import { ReadinessProbe } from '@assent/health';
import { startHealthServer } from './health-server';
import { WorkerModule } from './worker.module';

async function bootstrap(): Promise<void> {
  const env = parseEnvironment(process.env);
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(env), { bufferLogs: true });
  const logger = app.get(Logger);
  app.useLogger(logger);
  // On SIGTERM Nest closes the BullMQ workers, which wait for the jobs in hand to finish.
  app.enableShutdownHooks();
  await app.init();
  if (env.WORKER_HEALTH_PORT > 0) {
    const server = await startHealthServer(env.WORKER_HEALTH_PORT, app.get(ReadinessProbe));
    process.once('SIGTERM', () => server.close());
    process.once('SIGINT', () => server.close());
  }
  logger.log({ msg: 'Worker started', healthPort: env.WORKER_HEALTH_PORT });
}

bootstrap().catch((error) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
