/**
 * How fast Enfuce gets its 200: the webhook alone (no worker draining the queues,
 * so nothing else competes for the two cores), against the real API process.
 */
import { resolve } from 'node:path';
import { bullPrefix, RedisConnection } from '@assent/queue';
import { AssentUnderTest } from '../test/support/assent-under-test';
import { Bench, dist, enrollCardholders, loadPlan, LoadShape, MeasuredLoad, QUICK, runLoad, seconds, startServer } from './harness';
import { peakMemoryMiB } from './measure';

export const CONCURRENCY_LEVELS = [1, 10, 50, 200];
export const FIXED_RATE = 500;
const SWEEP_RATES = [250, 500, 1000, 1500, 2000, 2500, 3000, 3500, 4000];
const COMPARISON_CONNECTIONS = 50;
/** Fastify with the API's Redis work and nothing else (bench/redis-floor-server.ts): what this design costs before any of the rest. */
export const FLOOR = 'Fastify + the same Redis work only (floor)';
export const BARE = 'bare node:http (ceiling)';
export const SHIPPED = 'Assent on Fastify (shipped)';

export interface ServerComparison {
  name: string;
  /** Mean over the rounds, which alternate between the servers so that they share the machine's moods. */
  throughput: number;
  p50: number;
  p99: number;
  runs: MeasuredLoad[];
}

export interface WebhookAckReport {
  concurrency: MeasuredLoad[];
  fixedRate: MeasuredLoad;
  sweep: MeasuredLoad[];
  comparison: ServerComparison[];
  /**
   * The same servers at FIXED_RATE (open loop): the tail latency the p99 target is about,
   * for the bare server and the floor too, so that the target can be judged against what
   * the machine and the design's Redis work allow at all.
   */
  tailComparison: ServerComparison[];
  /** Two API processes on the one Redis, each with a load generator of its own, as two pods behind a load balancer would be. */
  twoApis: { throughput: number; p99: number; perProcess: MeasuredLoad[] };
  /** Peak resident memory of the API process over all of the above. */
  apiPeakMemoryMiB: number;
  redis: {
    /** used_memory growth per stored session, jobs and indexes included, divided over the warm-up's sessions. */
    bytesPerLiveSession: number;
    sampleKeys: Record<string, number>;
  };
}

export async function webhookAck(bench: Bench): Promise<WebhookAckReport> {
  const system = await bench.system({ workers: 0 });
  const servers: { stop(): Promise<unknown> }[] = [];
  try {
    const customers = (await enrollCardholders(system, 20)).map(([device]) => device.customerNumber);
    const apiUrl = system.apiUrl.replace('localhost', '127.0.0.1');
    const plan = (url: string, shape: LoadShape) => loadPlan(system, url, customers, shape);
    const meter = () => bench.meter(system);
    const log = (what: string, result: MeasuredLoad) =>
      console.log(`  ${what}: ${Math.round(result.throughput)}/s, p50 ${result.latency.p50.toFixed(1)} ms, p99 ${result.latency.p99.toFixed(1)} ms, max ${result.latency.max.toFixed(1)} ms`);

    // The warm-up doubles as the memory measurement: every 200 is one more live session.
    const memoryBefore = await usedMemory(system.redis);
    const warmUp = await runLoad(plan(apiUrl, { connections: 50, durationSeconds: seconds(6) }), meter());
    const stored = warmUp.statuses['200'] ?? 0;
    const redis = { bytesPerLiveSession: ((await usedMemory(system.redis)) - memoryBefore) / stored, sampleKeys: await sampleKeySizes(system) };
    log('warm-up', warmUp);

    const concurrency: MeasuredLoad[] = [];
    for (const connections of CONCURRENCY_LEVELS) {
      concurrency.push(await runLoad(plan(apiUrl, { connections, durationSeconds: seconds(10) }), meter()));
      log(`${connections} connections`, concurrency[concurrency.length - 1]);
    }
    const fixedRate = await runLoad(plan(apiUrl, { connections: 256, durationSeconds: seconds(10), rate: FIXED_RATE }), meter());
    log(`${FIXED_RATE}/s`, fixedRate);

    const sweep: MeasuredLoad[] = [];
    for (const rate of SWEEP_RATES) {
      const result = await runLoad(plan(apiUrl, { connections: 256, durationSeconds: seconds(6), rate }), meter());
      sweep.push(result);
      log(`sweep ${rate}/s`, result);
      // Past saturation the queue only grows; one point beyond it shows the knee.
      if (result.throughput < 0.9 * rate) break;
    }

    const secondApi = await startServer('API 2', dist('apps', 'api', 'src', 'main.js'), system.env, '/health/ready');
    servers.push(secondApi.process);
    const shareMeter = bench.meter(system, { 'api 2': () => [secondApi.process.pid] });
    const perProcess = await Promise.all(
      [apiUrl, secondApi.url].map((url) => runLoad(plan(url, { connections: COMPARISON_CONNECTIONS / 2, durationSeconds: seconds(10) }), shareMeter)),
    );
    const twoApis = { throughput: perProcess.reduce((sum, load) => sum + load.throughput, 0), p99: Math.max(...perProcess.map((load) => load.latency.p99)), perProcess };
    console.log(`  two API processes: ${Math.round(twoApis.throughput)}/s, worse p99 ${twoApis.p99.toFixed(1)} ms`);
    const apiPeakMemoryMiB = peakMemoryMiB(system.api.pid);

    const bare = await startServer('bare node:http', dist('bench', 'bare-http-server.js'), {}, '/');
    const floor = await startServer('Redis work only', dist('bench', 'redis-floor-server.js'), system.env, '/health/ready');
    const express = await startServer('NestJS + Express', dist('bench', 'express-api.js'), system.env, '/health/ready');
    servers.push(bare.process, floor.process, express.process);
    const contenders = [
      { name: BARE, url: bare.url },
      { name: FLOOR, url: floor.url },
      { name: SHIPPED, url: apiUrl },
      { name: 'Assent on Express', url: express.url },
    ];
    // BENCH_BASELINE_DIST: another build's output (say, of main), copied inside this
    // repository so that it finds node_modules, to measure before/after in the same run.
    const baselineDist = process.env.BENCH_BASELINE_DIST;
    if (baselineDist) {
      const baseline = await startServer('baseline', resolve(baselineDist, 'apps/api/src/main.js'), system.env, '/health/ready');
      servers.push(baseline.process);
      contenders.push({ name: `baseline (${baselineDist})`, url: baseline.url });
    }
    const alternate = async (contestants: typeof contenders, shape: LoadShape): Promise<ServerComparison[]> => {
      const runs = new Map<string, MeasuredLoad[]>(contestants.map(({ name }) => [name, []]));
      for (let round = 0; round < (QUICK ? 1 : 3); round++) {
        for (const { name, url } of round % 2 ? [...contestants].reverse() : contestants) {
          const result = await runLoad(plan(url, shape), meter());
          runs.get(name)!.push(result);
          log(`${name}${shape.rate ? ` at ${shape.rate}/s` : ''}, round ${round + 1}`, result);
        }
      }
      return contestants.map(({ name }) => {
        const results = runs.get(name)!;
        const mean = (value: (result: MeasuredLoad) => number) => results.reduce((sum, result) => sum + value(result), 0) / results.length;
        return { name, throughput: mean((r) => r.throughput), p50: mean((r) => r.latency.p50), p99: mean((r) => r.latency.p99), runs: results };
      });
    };
    const comparison = await alternate(contenders, { connections: COMPARISON_CONNECTIONS, durationSeconds: seconds(6) });
    // Express and the baseline are left out: the question is what the machine and the Redis work allow.
    const tailContenders = contenders.filter(({ name }) => name === BARE || name === FLOOR || name === SHIPPED);
    const tailComparison = await alternate(tailContenders, { connections: 256, durationSeconds: seconds(10), rate: FIXED_RATE });
    return { concurrency, fixedRate, sweep, comparison, tailComparison, twoApis, apiPeakMemoryMiB, redis };
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
    await system.stop();
  }
}

export async function usedMemory(redis: RedisConnection): Promise<number> {
  const info = await redis.info('memory');
  return Number(/used_memory:(\d+)/.exec(info)![1]);
}

/** MEMORY USAGE of one session's own keys, for the breakdown. */
async function sampleKeySizes(system: AssentUnderTest): Promise<Record<string, number>> {
  const [, keys] = await system.redis.scan('0', 'MATCH', system.keys.session('*'), 'COUNT', 1000);
  const sessionId = keys[0].slice(system.keys.session('').length);
  const usage = async (key: string) => Number(await system.redis.call('MEMORY', 'USAGE', key));
  return {
    'session hash': await usage(keys[0]),
    'push job': await usage(`${bullPrefix(system.prefix)}:push:push-${sessionId}`),
    'timeout job (delayed)': await usage(`${bullPrefix(system.prefix)}:timeout:timeout-${sessionId}`),
  };
}
