import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The process's Prometheus metrics (one registry per process: the API and the
 * worker each serve their own /metrics). Names are the ones docs/operations.md
 * alerts on; rename them only together with that page.
 */
export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry, prefix: 'assent_' });

// Enfuce's budget is 2 s and the goal a few milliseconds: the buckets resolve both.
export const webhookAckSeconds = new Histogram({
  name: 'assent_webhook_ack_seconds',
  help: 'Time from receiving an Enfuce webhook to answering it, by HTTP status',
  labelNames: ['status'] as const,
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2],
  registers: [metricsRegistry],
});

export const sessionsTotal = new Counter({
  name: 'assent_sessions_total',
  help: 'Sessions whose result was settled, by result (SUCCESS, FAIL, ERROR, TIMEOUT)',
  labelNames: ['result'] as const,
  registers: [metricsRegistry],
});

export const timeToDecisionSeconds = new Histogram({
  name: 'assent_time_to_decision_seconds',
  help: 'Time from the webhook to the session result, by result',
  labelNames: ['result'] as const,
  buckets: [1, 2, 5, 10, 20, 30, 60, 90, 120, 150],
  registers: [metricsRegistry],
});

export const callbackAttemptsTotal = new Counter({
  name: 'assent_callback_attempts_total',
  help: 'Callback attempts to Enfuce, by outcome status (the HTTP status, or "network" / "timeout")',
  labelNames: ['status'] as const,
  registers: [metricsRegistry],
});

export const callbackAttemptSeconds = new Histogram({
  name: 'assent_callback_attempt_seconds',
  help: 'Duration of callback attempts to Enfuce, by outcome status',
  labelNames: ['status'] as const,
  buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10],
  registers: [metricsRegistry],
});

export const pushSendsTotal = new Counter({
  name: 'assent_push_sends_total',
  help: 'Web Push sends, by push service origin and outcome status (HTTP status, or "network")',
  labelNames: ['origin', 'status'] as const,
  registers: [metricsRegistry],
});

export const queueDepth = new Gauge({
  name: 'assent_queue_jobs',
  help: 'Jobs in each queue by state, read from Redis at scrape time',
  labelNames: ['queue', 'state'] as const,
  registers: [metricsRegistry],
});

export const queueOldestWaitingSeconds = new Gauge({
  name: 'assent_queue_oldest_waiting_job_age_seconds',
  help: 'Age of the oldest job waiting to be picked up, per queue (0 when none waits)',
  labelNames: ['queue'] as const,
  registers: [metricsRegistry],
});

export const redisErrorsTotal = new Counter({
  name: 'assent_redis_errors_total',
  help: 'Redis connection errors and failed commands',
  registers: [metricsRegistry],
});

export const postgresErrorsTotal = new Counter({
  name: 'assent_postgres_errors_total',
  help: 'Postgres connection errors and failed queries',
  registers: [metricsRegistry],
});

/** The origin of a push endpoint, a label with few values (one per push service). */
export function pushOriginOf(endpoint: string): string {
  try {
    return new URL(endpoint).origin;
  } catch {
    return 'invalid';
  }
}

/** What the queue gauges read at scrape time: BullMQ's Queue has both methods. */
export interface ObservedQueue {
  name: string;
  getJobCounts(...states: string[]): Promise<Record<string, number>>;
  getWaiting(start?: number, end?: number): Promise<Array<{ timestamp: number } | undefined>>;
}

const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed', 'prioritized'];

/** Reads the queues' depth and oldest waiting job from Redis whenever /metrics is scraped, not on a timer. */
export function observeQueues(queues: ObservedQueue[]): void {
  queueGaugeSource = queues;
}

let queueGaugeSource: ObservedQueue[] = [];

async function collectQueues(): Promise<void> {
  await Promise.all(
    queueGaugeSource.map(async (queue) => {
      const [counts, [oldest]] = await Promise.all([queue.getJobCounts(...QUEUE_STATES), queue.getWaiting(0, 0)]);
      for (const state of QUEUE_STATES) queueDepth.set({ queue: queue.name, state }, counts[state] ?? 0);
      queueOldestWaitingSeconds.set({ queue: queue.name }, oldest ? Math.max(0, (Date.now() - oldest.timestamp) / 1000) : 0);
    }),
  );
}

/** The exposition text; a Redis failure while reading the queues is counted and the rest still served. */
export async function renderMetrics(): Promise<string> {
  await collectQueues().catch(() => redisErrorsTotal.inc());
  return metricsRegistry.metrics();
}

export const METRICS_CONTENT_TYPE = metricsRegistry.contentType;
