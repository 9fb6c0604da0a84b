/**
 * What tracing costs the webhook: the same load against an API with tracing off, one
 * exporting every trace (the default sampler) to a collector stand-in, one sampling
 * 10 % and one sampling none (the instrumentation's own cost), in alternating rounds
 * so that all share the machine's moods. Not part of `npm run
 * bench`; run it with `npm run build && node dist/bench/tracing-overhead.js`. The
 * numbers go to docs/operations.md ("Tracing") by hand.
 */
import 'reflect-metadata';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AssentUnderTest } from '../test/support/assent-under-test';
import { Bench, enrollCardholders, loadPlan, MeasuredLoad, runLoad, seconds } from './harness';
import { describeMachine } from './measure';

const ROUNDS = 3;

interface Contender {
  name: string;
  system: AssentUnderTest;
  closed: MeasuredLoad[];
  fixed: MeasuredLoad[];
}

async function main(): Promise<void> {
  const machine = describeMachine();
  console.log(`Tracing overhead on ${machine.cores} × ${machine.cpu}, load average ${machine.loadAverage.start.toFixed(1)}`);
  const bench = await Bench.start();
  // A collector that takes every export (OTLP/HTTP, protobuf: the SDK's default) and throws it away.
  let exports = 0;
  const collector = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      exports++;
      response.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    });
  });
  await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
  const collectorUrl = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
  const contenders: Contender[] = [];
  try {
    for (const [name, extraEnv] of [
      ['tracing off', {}],
      ['every trace', { OTEL_EXPORTER_OTLP_ENDPOINT: collectorUrl }],
      ['10 % of traces', { OTEL_EXPORTER_OTLP_ENDPOINT: collectorUrl, OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.1' }],
      ['none sampled', { OTEL_EXPORTER_OTLP_ENDPOINT: collectorUrl, OTEL_TRACES_SAMPLER: 'always_off' }],
    ] as const) {
      contenders.push({ name, system: await bench.system({ workers: 0, extraEnv }), closed: [], fixed: [] });
    }
    const plans = await Promise.all(
      contenders.map(async ({ system }) => {
        const customers = (await enrollCardholders(system, 20)).map(([device]) => device.customerNumber);
        const url = system.apiUrl.replace('localhost', '127.0.0.1');
        return {
          closed: loadPlan(system, url, customers, { connections: 50, durationSeconds: seconds(8) }),
          fixed: loadPlan(system, url, customers, { connections: 256, durationSeconds: seconds(8), rate: 500 }),
        };
      }),
    );
    // Warm-up: the JIT, the connection pools and the exporter's first batches.
    for (const [index, contender] of contenders.entries()) await runLoad({ ...plans[index].closed, durationSeconds: seconds(4) }, bench.meter(contender.system));
    for (let round = 0; round < ROUNDS; round++) {
      for (const [index, contender] of contenders.entries()) {
        contender.closed.push(await runLoad(plans[index].closed, bench.meter(contender.system)));
        contender.fixed.push(await runLoad(plans[index].fixed, bench.meter(contender.system)));
        const [closed, fixed] = [contender.closed.at(-1)!, contender.fixed.at(-1)!];
        console.log(
          `  round ${round + 1}, ${contender.name}: ${Math.round(closed.throughput)}/s at 50 connections (p99 ${closed.latency.p99.toFixed(1)} ms); ` +
            `500/s: p50 ${fixed.latency.p50.toFixed(1)} ms, p99 ${fixed.latency.p99.toFixed(1)} ms, API CPU ${Math.round(fixed.cpu.api)} %`,
        );
      }
    }
    const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
    const summary = contenders.map((contender) => ({
      name: contender.name,
      throughput: mean(contender.closed.map((run) => run.throughput)),
      p99AtSaturation: mean(contender.closed.map((run) => run.latency.p99)),
      p50At500: mean(contender.fixed.map((run) => run.latency.p50)),
      p99At500: mean(contender.fixed.map((run) => run.latency.p99)),
      apiCpuAt500: mean(contender.fixed.map((run) => run.cpu.api)),
      non200: [...contender.closed, ...contender.fixed].reduce((sum, run) => sum + run.requests - (run.statuses['200'] ?? 0), 0),
    }));
    console.log(JSON.stringify({ machine: { cores: machine.cores, cpu: machine.cpu }, exports, summary }, null, 2));
    const [off, ...on] = summary;
    for (const traced of on) {
      console.log(`${traced.name}: throughput ×${(traced.throughput / off.throughput).toFixed(2)}, API CPU at 500/s ×${(traced.apiCpuAt500 / off.apiCpuAt500).toFixed(2)}`);
    }
  } finally {
    await Promise.all(contenders.map(({ system }) => system.stop()));
    collector.close();
    await bench.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
