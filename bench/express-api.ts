/**
 * The same API on NestJS's default Express adapter, for the benchmark's Fastify /
 * Express ratio; started by bench/run.ts with the API's environment. Not shipped:
 * apps/api/src/main.ts runs Fastify.
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { parseEnvironment } from '@assent/config';
import { ApiModule } from '../apps/api/src/api.module';

async function bootstrap(): Promise<void> {
  const env = parseEnvironment(process.env);
  const app = await NestFactory.create(ApiModule.forRoot(env), new ExpressAdapter(), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  await app.listen(env.PORT, '0.0.0.0');
}

bootstrap().catch((error) => {
  console.error(error);
  process.exit(1);
});
