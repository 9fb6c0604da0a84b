/**
 * `npm run bench`: measures the built service on this machine and writes
 * docs/benchmarks.md with docs/benchmarks-latency.svg. Not part of `npm test`.
 */
import 'reflect-metadata';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ROOT } from '../test/support/processes';
import { Bench, QUICK } from './harness';
import { CpuMeter, describeMachine, loadAverageNow, STOLEN } from './measure';
import { pipeline } from './pipeline';
import { chart, markdown, Results } from './report';
import { vapidCost } from './vapid';
import { webhookAck } from './webhook-ack';
import { workerScaling } from './workers';

const CHART = 'benchmarks-latency.svg';
const RAW_RESULTS = join(ROOT, 'test-results', 'bench-results.json');

async function main(): Promise<void> {
  // BENCH_REPORT_FROM=test-results/bench-results.json writes the documents again from a run's raw results, measuring nothing.
  const reportFrom = process.env.BENCH_REPORT_FROM;
  if (reportFrom) return writeReport(JSON.parse(readFileSync(reportFrom, 'utf8')) as Results);
  const machine = describeMachine();
  // No process groups: only the hypervisor's share, over the whole run.
  const wholeRun = new CpuMeter({});
  console.log(`Benchmark on ${machine.cores} × ${machine.cpu}, load average ${machine.loadAverage.start.toFixed(1)}${QUICK ? ' (quick)' : ''}`);
  // BENCH_ONLY=pipeline (say) runs one section and prints its numbers without touching docs/.
  const only = process.env.BENCH_ONLY;
  const bench = await Bench.start();
  let results: Results;
  try {
    if (only) {
      const sections: Record<string, () => unknown> = {
        webhook: () => webhookAck(bench),
        pipeline: () => pipeline(bench),
        vapid: () => vapidCost(),
        workers: () => workerScaling(bench),
      };
      console.log(JSON.stringify(await sections[only](), null, 2));
      return;
    }
    console.log('1–2. Webhook acknowledgement, and the same load on a bare server and on Express');
    const webhook = await webhookAck(bench);
    console.log('3. Pipeline latency');
    const pipelineReport = await pipeline(bench);
    console.log('4. VAPID signing per message');
    const vapid = vapidCost();
    console.log('4–5. Push fan-out and worker scaling');
    const workers = await workerScaling(bench);
    machine.loadAverage.end = loadAverageNow();
    machine.stolenPercent = wholeRun.stop()[STOLEN] / machine.cores;
    results = { machine, quick: QUICK, webhook, pipeline: pipelineReport, vapid, workers };
  } finally {
    await bench.stop();
  }
  mkdirSync(dirname(RAW_RESULTS), { recursive: true });
  writeFileSync(RAW_RESULTS, JSON.stringify(results));
  writeReport(results);
  console.log(`Raw results in ${RAW_RESULTS}`);
}

function writeReport(results: Results): void {
  const docs = join(ROOT, 'docs');
  writeFileSync(join(docs, 'benchmarks.md'), markdown(results, CHART));
  writeFileSync(join(docs, CHART), chart(results));
  console.log(`\n${markdown(results, CHART)}`);
  console.log(`Written to docs/benchmarks.md and docs/${CHART}`);
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
