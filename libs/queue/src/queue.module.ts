import { BullModule, getQueueToken } from '@nestjs/bullmq';
import { DynamicModule, Global, INestApplicationContext, Module } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { BullMQOtel } from 'bullmq-otel';
import { ENVIRONMENT, Environment } from '@assent/config';
import { tracingStarted } from '@assent/telemetry';
import { QueueName } from './queues';
import { bullPrefix, createRedis, REDIS, RedisConnection, RedisRole } from './redis';

/**
 * The process's one Redis connection (see QueueModule for why one). It is closed
 * by closeOnSignals after everything else, since BullMQ workers use it until they
 * have finished their jobs in hand.
 */
@Global()
@Module({})
export class RedisModule {
  static forRoot(role: RedisRole): DynamicModule {
    return {
      module: RedisModule,
      providers: [
        { provide: REDIS, inject: [ENVIRONMENT], useFactory: (env: Environment) => createRedis(env, role) },
      ],
      exports: [REDIS],
    };
  }
}

/**
 * Every queue shares the process's Redis connection with the session store, so a
 * session change and the job it implies can go to Redis in one MULTI.
 */
@Global()
@Module({})
export class QueueModule {
  static forRoot(role: RedisRole): DynamicModule {
    return {
      module: QueueModule,
      imports: [
        RedisModule.forRoot(role),
        BullModule.forRootAsync({
          inject: [ENVIRONMENT, REDIS],
          useFactory: (env: Environment, redis: RedisConnection) => ({
            connection: redis,
            prefix: bullPrefix(env.REDIS_KEY_PREFIX),
            // BullMQ's own telemetry, for the queues and (through them) the workers: a job
            // carries its producer's trace context, and its processing continues that trace.
            telemetry: tracingStarted() ? new BullMQOtel() : undefined,
          }),
        }),
        BullModule.registerQueue(...Object.values(QueueName).map((name) => ({ name }))),
      ],
      exports: [RedisModule, BullModule],
    };
  }
}

/** The process's queues, for what watches them from outside Nest's injection (the metrics). */
export function queuesOf(app: INestApplicationContext): Queue[] {
  return Object.values(QueueName).map((name) => app.get<Queue>(getQueueToken(name), { strict: false }));
}
