/**
 * What the workers get through, with 1, 2 and 4 worker processes: a backlog of
 * sessions is queued on a paused queue, the workers are started, and from the moment
 * the queue resumes they are timed until the last push (three devices per
 * cardholder) or the last callback has reached its stand-in. The first run also
 * weighs a finished session in Postgres and what it leaves behind in Redis.
 */
import { Queue } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { bullPrefix, QueueName } from '@assent/queue';
import { AssentUnderTest, EnrolledDevice } from '../test/support/assent-under-test';
import { Bench, enrollCardholders, inParallel, QUICK, until } from './harness';
import { peakMemoryMiB, sleep } from './measure';
import { usedMemory } from './webhook-ack';

export const WORKER_COUNTS = [1, 2, 4];
const DEVICES_PER_CARDHOLDER = 3;
const TABLES = ['authentication_sessions', 'push_deliveries', 'callback_attempts', 'audit_events'];

export interface Drain {
  count: number;
  perSecond: number;
  cpu: Record<string, number>;
}

export interface WorkerRun {
  workers: number;
  sessions: number;
  pushes: Drain;
  callbacks: Drain;
  /** The largest peak resident memory among the run's worker processes. */
  peakMemoryMiB: number;
}

export interface WorkersReport {
  devicesPerCardholder: number;
  runs: WorkerRun[];
  postgres: { table: string; rowsPerSession: number; bytesPerSession: number }[];
  /** Redis memory a finished session still holds: the settled session (5 minutes) and its job records (1 hour). */
  redisBytesPerFinishedSession: number;
}

export async function workerScaling(bench: Bench): Promise<WorkersReport> {
  const system = await bench.system({ workers: 0, authTimeoutSeconds: 120 });
  try {
    const cardholders = await enrollCardholders(system, QUICK ? 20 : 100, DEVICES_PER_CARDHOLDER);
    const sessionsPerRun = QUICK ? 150 : 600;
    const runs: WorkerRun[] = [];
    let postgres: WorkersReport['postgres'] = [];
    let redisBytesPerFinishedSession = 0;
    const queue = (name: QueueName) => new Queue(name, { connection: system.redis, prefix: bullPrefix(system.prefix) });
    const pushQueue = queue(QueueName.Push);
    const callbackQueue = queue(QueueName.Callback);
    for (const workers of WORKER_COUNTS) {
      const first = runs.length === 0;
      const sizesBefore = first ? await tableSizes(system) : new Map<string, number>();
      const memoryBefore = await usedMemory(system.redis);

      // Paused queues let every worker start (Nest's start-up is CPU-heavy) before any is timed.
      await Promise.all([pushQueue.pause(), callbackQueue.pause()]);
      const sessions = await queueSessions(system, cardholders, sessionsPerRun);
      await Promise.all(Array.from({ length: workers }, () => system.startWorker()));
      const pushes = await drain(bench, system, pushQueue, sessionsPerRun * DEVICES_PER_CARDHOLDER, () =>
        system.pushService.messages.filter((push) => sessions.has(push.payload.sessionId)).map((push) => push.receivedAt),
      );
      await inParallel([...sessions], 20, ([sessionId, device]) => withRetries(() => system.decline(device, sessionId)));
      const callbacks = await drain(bench, system, callbackQueue, sessionsPerRun, () =>
        system.enfuce.callbacks.filter((callback) => sessions.has(callback.sessionId)).map((callback) => callback.receivedAt),
      );
      const peakMemory = Math.max(...system.workers.map((worker) => peakMemoryMiB(worker.pid)));
      runs.push({ workers, sessions: sessionsPerRun, pushes, callbacks, peakMemoryMiB: peakMemory });
      console.log(`  ${workers} worker(s): ${Math.round(pushes.perSecond)} pushes/s, ${Math.round(callbacks.perSecond)} callbacks/s`);

      if (first) {
        postgres = await perSession(system, [...sessions.keys()], sizesBefore);
        redisBytesPerFinishedSession = ((await usedMemory(system.redis)) - memoryBefore) / sessionsPerRun;
      }
      await Promise.all(system.workers.map((worker) => worker.stop()));
      system.workers = [];
    }
    await Promise.all([pushQueue.close(), callbackQueue.close()]);
    return { devicesPerCardholder: DEVICES_PER_CARDHOLDER, runs, postgres, redisBytesPerFinishedSession };
  } finally {
    await system.stop();
  }
}

/** Webhooks for `count` new sessions while no worker runs; returns each session's first device. */
async function queueSessions(system: AssentUnderTest, cardholders: EnrolledDevice[][], count: number): Promise<Map<string, EnrolledDevice>> {
  const sessions = new Map<string, EnrolledDevice>();
  for (let i = 0; i < count; i++) sessions.set(randomUUID(), cardholders[i % cardholders.length][0]);
  await inParallel([...sessions], 20, ([sessionId, device]) => withRetries(() => system.webhook(device.customerNumber, sessionId)));
  return sessions;
}

/**
 * Sends a request until it gets its 200, retrying a 503 as Enfuce and the phone
 * app do: on a starved machine a Redis command can outlast the API's 1 s limit,
 * and the API then answers 503 rather than keep the caller waiting.
 */
async function withRetries(send: () => PromiseLike<{ status: number; text: string }>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const response = await send();
    // A retried decline that finds the session decided: the 503'd attempt had landed.
    if (response.status === 200 || (attempt > 1 && response.status === 409)) return;
    if (response.status !== 503 || attempt === 5) throw new Error(`expected 200, got ${response.status}: ${response.text}`);
    await sleep(200 * attempt);
  }
}

/** Resumes `queue` and times the running workers until the stand-in has seen `expected` arrivals. */
async function drain(bench: Bench, system: AssentUnderTest, queue: Queue, expected: number, arrivals: () => number[]): Promise<Drain> {
  const meter = bench.meter(system);
  const resumedAt = Date.now();
  await queue.resume();
  await until(() => arrivals().length >= expected, 300000, `${expected} arrivals`);
  const cpu = meter.stop();
  const last = Math.max(...arrivals());
  return { count: expected, perSecond: expected / ((last - resumedAt) / 1000), cpu };
}

async function tableSizes(system: AssentUnderTest): Promise<Map<string, number>> {
  const { rows } = await system.db.query<{ name: string; bytes: string }>(
    'SELECT relname AS name, pg_total_relation_size(relid) AS bytes FROM pg_stat_user_tables WHERE relname = ANY($1)',
    [TABLES],
  );
  return new Map(rows.map((row) => [row.name, Number(row.bytes)]));
}

/** Rows and bytes (table, indexes and TOAST, as the files grew) each finished session added. */
async function perSession(system: AssentUnderTest, sessionIds: string[], before: Map<string, number>): Promise<WorkersReport['postgres']> {
  await until(
    async () => Number((await system.db.query('SELECT count(*) FROM authentication_sessions WHERE session_id = ANY($1) AND callback_outcome IS NOT NULL', [sessionIds])).rows[0].count) >= sessionIds.length,
    30000,
    'every summary',
  );
  const after = await tableSizes(system);
  const rows: WorkersReport['postgres'] = [];
  for (const table of TABLES) {
    const { rows: counted } = await system.db.query(`SELECT count(*) FROM ${table} WHERE session_id = ANY($1)`, [sessionIds]);
    rows.push({
      table,
      rowsPerSession: Number(counted[0].count) / sessionIds.length,
      bytesPerSession: ((after.get(table) ?? 0) - (before.get(table) ?? 0)) / sessionIds.length,
    });
  }
  return rows;
}
