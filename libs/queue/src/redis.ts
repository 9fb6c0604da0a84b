import Redis, { Cluster, ClusterOptions, RedisOptions } from 'ioredis';
import { RedisDeployment, redisDeploymentOf, RedisEnvironment } from '@assent/config';
import { redisErrorsTotal } from '@assent/metrics';

export const REDIS = Symbol('REDIS');

/** A connection to whichever Redis deployment is configured: one server (directly or through Sentinel), or a Cluster. */
export type RedisConnection = Redis | Cluster;

/**
 * The API must answer Enfuce within 2 s even when Redis is gone, so its commands
 * fail fast instead of queueing; the worker's blocking BullMQ connections must
 * instead wait for Redis forever (BullMQ requires maxRetriesPerRequest: null).
 */
export type RedisRole = 'api' | 'worker';

// Reconnect by itself, quickly at first, never giving up.
const reconnectDelay = (times: number) => Math.min(100 * times, 1000);

// While a Cluster fails a primary over, commands for its slots are retried every
// RETRY_DELAY_ON_FAILOVER_MS, at most this many times (ioredis counts the retries
// as redirections). The API gives up after about half a second, well inside
// Enfuce's 2 s; the worker waits about a minute, longer than a failover takes
// with any sane cluster-node-timeout, so that a job recording its result does not
// fail half way and run again.
const RETRY_DELAY_ON_FAILOVER_MS = 100;
const MAX_REDIRECTIONS: Record<RedisRole, number> = { api: 5, worker: 600 };

function commandOptions(role: RedisRole): RedisOptions {
  return role === 'api'
    ? { connectTimeout: 2000, maxRetriesPerRequest: 0, commandTimeout: 1000 }
    : { connectTimeout: 2000, maxRetriesPerRequest: null };
}

/**
 * The one way the code connects to Redis, for the shared connection of each
 * process and for the dashboard's subscriber alike. Each deployment gets the same
 * per-role behaviour: the API fails fast, the worker waits.
 */
export function createRedis(env: RedisEnvironment, role: RedisRole): RedisConnection {
  const redis = connect(redisDeploymentOf(env), role);
  // Errors are reported by health checks and by the calls that fail; without a
  // listener ioredis would print every reconnect failure as unhandled.
  redis.on('error', () => redisErrorsTotal.inc());
  return redis;
}

function connect(deployment: RedisDeployment, role: RedisRole): RedisConnection {
  const offlineQueue = { enableOfflineQueue: role === 'worker' };
  switch (deployment.mode) {
    case 'single':
      return new Redis(deployment.url, { ...commandOptions(role), ...offlineQueue, retryStrategy: reconnectDelay });
    case 'sentinel':
      // On reconnecting, ioredis asks the Sentinels for the current primary and
      // checks the server it reaches is one.
      return new Redis({
        ...commandOptions(role),
        ...offlineQueue,
        retryStrategy: reconnectDelay,
        sentinels: deployment.sentinels,
        name: deployment.masterName,
        password: deployment.password,
        sentinelPassword: deployment.sentinelPassword,
        // A primary that was failed over while unreachable comes back as a replica and
        // refuses writes with READONLY before making any: reconnect, to the primary the
        // Sentinels name now, and send the command again (2).
        reconnectOnError: (error) => (error.message.startsWith('READONLY') ? 2 : false),
      });
    case 'cluster': {
      const options: ClusterOptions = {
        ...offlineQueue,
        clusterRetryStrategy: reconnectDelay,
        retryDelayOnFailover: RETRY_DELAY_ON_FAILOVER_MS,
        retryDelayOnClusterDown: RETRY_DELAY_ON_FAILOVER_MS,
        maxRedirections: MAX_REDIRECTIONS[role],
        redisOptions: { ...commandOptions(role), password: deployment.password },
      };
      return new Cluster(deployment.nodes, options);
    }
  }
}

/** The primaries to scan for keys: SCAN and KEYS on a Cluster see only the node they are sent to. */
export function primariesOf(redis: RedisConnection): Redis[] {
  return redis instanceof Cluster ? redis.nodes('master') : [redis];
}

/**
 * Every key of the service starts with this hash tag, so on a Cluster they all hash
 * to one slot: the session scripts touch several keys, and a session change goes to
 * Redis in one MULTI with the BullMQ job it implies (docs/operations.md, "Redis
 * high availability").
 */
export function keyTag(prefix: string): string {
  return `{${prefix}}`;
}

/** BullMQ's key prefix: hash-tagged like every other key (BullMQ requires a hash-tagged prefix on a Cluster). */
export function bullPrefix(prefix: string): string {
  return `${keyTag(prefix)}:bull`;
}
