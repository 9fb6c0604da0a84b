import { INestApplicationContext, LoggerService } from '@nestjs/common';
import { stopTracing } from '@assent/telemetry';
import { REDIS, RedisConnection } from './redis';

// Longer than a callback attempt (at most 30 s by config) would be too long for an
// orchestrator's grace period; whatever is still running then is recovered by
// another worker as a stalled job.
const FORCED_EXIT_MS = 25_000;

/**
 * Graceful shutdown on SIGTERM / SIGINT: Nest stops taking requests and lets the
 * in-flight ones finish, BullMQ workers finish the jobs in hand, and only then is
 * the shared Redis connection closed, and the last spans exported.
 */
export function closeOnSignals(app: INestApplicationContext, logger: LoggerService, onClose: () => Promise<void> = async () => undefined): void {
  let closing = false;
  const close = async (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    logger.log({ msg: 'Shutting down', signal });
    setTimeout(() => process.exit(1), FORCED_EXIT_MS).unref();
    await onClose();
    await app.close();
    const redis = app.get<RedisConnection>(REDIS);
    await redis.quit().catch(() => redis.disconnect());
    // Last, so that the spans of everything above are exported too.
    await stopTracing();
    process.exit(0);
  };
  // `on`, not `once`: a second signal (a process manager and a terminal both
  // signalling) must not cut the graceful shutdown short with the default handler.
  process.on('SIGTERM', close);
  process.on('SIGINT', close);
}
