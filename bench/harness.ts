/**
 * What every benchmark section shares: the service under test (the built API and
 * worker processes, with the end-to-end tests' stand-ins for Enfuce and the push
 * service), its own redis-server and database, and the load generator as a process
 * of its own.
 */
import { join } from 'node:path';
import { AssentUnderTest, EnrolledDevice, INSTITUTION, Options, WEBHOOK_CREDENTIALS } from '../test/support/assent-under-test';
import { freePort, ROOT, ServiceProcess } from '../test/support/processes';
import { prepareDatabase } from '../test/support/test-database';
import { ThrowawayRedis } from '../test/support/throwaway-redis';
import { CpuMeter, LoadPlan, LoadResult, pidsOf, sleep } from './measure';

export const BENCH_DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/assent_bench';
/** BENCH_QUICK=1 shortens every run, for trying the benchmark out; its numbers are rougher. */
export const QUICK = process.env.BENCH_QUICK === '1';
export const seconds = (full: number) => (QUICK ? Math.max(2, Math.round(full / 3)) : full);

export const dist = (...path: string[]) => join(ROOT, 'dist', ...path);

export class Bench {
  private constructor(readonly redis: ThrowawayRedis) {}

  /** Its own redis-server, without persistence like the machine's: the shared one never takes the load. */
  static async start(): Promise<Bench> {
    // A fresh database, so that its sizes are this run's alone.
    await prepareDatabase(BENCH_DATABASE_URL, { fresh: true });
    return new Bench(await ThrowawayRedis.start({ persistent: false }));
  }

  async stop(): Promise<void> {
    await this.redis.stop();
  }

  /** The service as it ships (Fastify API, workers), logging at info as in production. */
  system(options: Options = {}): Promise<AssentUnderTest> {
    return AssentUnderTest.start({
      redisUrl: this.redis.url,
      databaseUrl: BENCH_DATABASE_URL,
      ...options,
      extraEnv: { NODE_ENV: 'production', LOG_LEVEL: 'info', ...options.extraEnv },
    });
  }

  /** CPU of the processes that matter, for finding the bottleneck. */
  meter(system: AssentUnderTest, extra: Record<string, () => number[]> = {}): CpuMeter {
    return new CpuMeter({
      api: () => [system.api.pid],
      workers: () => system.workers.filter((worker) => worker.running).map((worker) => worker.pid),
      redis: () => [this.redis.pid],
      // Every Postgres process on the machine: other work on it shows up here too.
      postgres: () => pidsOf('postgres'),
      'bench (stand-ins)': () => [process.pid],
      ...extra,
    });
  }
}

/** Cardholders with `devices` each, enrolled through the real API; with push subscriptions on the stand-in. */
export async function enrollCardholders(system: AssentUnderTest, count: number, devices = 1): Promise<EnrolledDevice[][]> {
  const cardholders: EnrolledDevice[][] = [];
  for (let i = 0; i < count; i++) {
    const first = await system.enrollDevice();
    const rest: EnrolledDevice[] = [];
    for (let d = 1; d < devices; d++) rest.push(await system.enrollDevice({ customerNumber: first.customerNumber }));
    cardholders.push([first, ...rest]);
  }
  return cardholders;
}

/** How hard a run pushes: connections, duration and, for an open loop, the rate. */
export type LoadShape = Pick<LoadPlan, 'connections' | 'durationSeconds' | 'rate'>;

export function loadPlan(system: AssentUnderTest, url: string, customers: string[], plan: LoadShape): LoadPlan {
  return {
    url,
    customers,
    credentials: `${WEBHOOK_CREDENTIALS.username}:${WEBHOOK_CREDENTIALS.password}`,
    callbackBaseUrl: system.enfuce.callbackBaseUrl,
    institution: INSTITUTION,
    ...plan,
  };
}

export interface MeasuredLoad extends LoadResult {
  /** Percent of one core per process group while the load ran. */
  cpu: Record<string, number>;
}

/**
 * Runs the load generator in a process of its own and returns what it measured.
 * It starts after a pause, so that a saturating run's aftermath (its garbage, the
 * server's backlog) is not measured in the run that follows it.
 */
export async function runLoad(plan: LoadPlan, cpu: CpuMeter): Promise<MeasuredLoad> {
  await sleep(2000);
  cpu.restart();
  const generator = ServiceProcess.run('load', dist('bench', 'load-generator.js'), {}, [JSON.stringify(plan)]);
  const code = await generator.waitForExit();
  const usage = cpu.stop();
  const line = generator.logs.trim().split('\n').pop() ?? '';
  if (code !== 0) throw new Error(`load generator failed:\n${generator.logs.slice(-2000)}`);
  const result = JSON.parse(line) as LoadResult;
  return { ...result, cpu: { ...usage, 'load generator': result.generatorCpu } };
}

/** A server started for comparison from a built script: the bare node:http ceiling, or the API on Express. */
export async function startServer(name: string, script: string, env: Record<string, string>, readyPath: string): Promise<{ process: ServiceProcess; url: string }> {
  const port = await freePort();
  const process = ServiceProcess.run(name, script, { ...env, PORT: String(port) });
  const url = `http://127.0.0.1:${port}`;
  await process.waitUntilReady(`${url}${readyPath}`);
  return { process, url };
}

export async function until(condition: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(5);
  }
}

/** Runs `task` over `items` with at most `limit` at a time. */
export async function inParallel<T>(items: T[], limit: number, task: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await task(items[next++]);
    }),
  );
}
