import Redis, { RedisOptions } from 'ioredis';
import { redisErrorsTotal } from '@assent/metrics';

export const REDIS = Symbol('REDIS');

/**
 * The API must answer Enfuce within 2 s even when Redis is gone, so its commands
 * fail fast instead of queueing; the worker's blocking BullMQ connections must
 * instead wait for Redis forever (BullMQ requires maxRetriesPerRequest: null).
 */
export type RedisRole = 'api' | 'worker';

export function redisOptionsFor(role: RedisRole): RedisOptions {
  const common: RedisOptions = {
    connectTimeout: 2000,
    // Reconnect by itself, quickly at first, never giving up.
    retryStrategy: (times) => Math.min(100 * times, 1000),
  };
  return role === 'api'
    ? { ...common, enableOfflineQueue: false, maxRetriesPerRequest: 0, commandTimeout: 1000 }
    : { ...common, maxRetriesPerRequest: null };
}

export function createRedis(url: string, role: RedisRole): Redis {
  const redis = new Redis(url, { ...redisOptionsFor(role), lazyConnect: false });
  // Errors are reported by health checks and by the calls that fail; without a
  // listener ioredis would print every reconnect failure as unhandled.
  redis.on('error', () => redisErrorsTotal.inc());
  return redis;
}
