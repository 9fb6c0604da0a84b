/** The benchmark's results as the tables of docs/benchmarks.md, and its latency chart as SVG. */
import { Machine, STOLEN } from './measure';
import { PipelineReport } from './pipeline';
import { VapidReport } from './vapid';
import { BARE, CONCURRENCY_LEVELS, FIXED_RATE, FLOOR, ServerComparison, SHIPPED, WebhookAckReport } from './webhook-ack';
import { WorkersReport } from './workers';
import { MeasuredLoad } from './harness';

export interface Results {
  machine: Machine;
  quick: boolean;
  webhook: WebhookAckReport;
  pipeline: PipelineReport;
  vapid: VapidReport;
  workers: WorkersReport;
}

const ms = (value: number) => (Number.isNaN(value) ? '–' : value < 10 ? value.toFixed(1) : String(Math.round(value)));
const int = (value: number) => Math.round(value).toLocaleString('en-US');
const ratio = (value: number) => value.toFixed(2);
/** A Markdown table, the first column left-aligned and the rest right-aligned. */
export const table = (head: string[], rows: (string | number)[][]) =>
  [`| ${head.join(' | ')} |`, `| ${head.map((_, i) => (i === 0 ? '---' : '---:')).join(' | ')} |`, ...rows.map((row) => `| ${row.join(' | ')} |`)].join('\n');
const cpu = (usage: Record<string, number>) =>
  Object.entries(usage)
    .filter(([, percent]) => percent >= 1)
    .sort((a, b) => b[1] - a[1])
    .map(([name, percent]) => `${name} ${Math.round(percent)}%`)
    .join(', ');
const failures = (load: MeasuredLoad) => load.requests - (load.statuses['200'] ?? 0) + load.errors;

/** The numbers the issue sets targets for, and whether this run met them. */
export function headline(results: Results) {
  const { webhook, pipeline } = results;
  const comparison = (name: string) => webhook.comparison.find((server) => server.name.startsWith(name))!;
  const atFixedRate = (name: string) => webhook.tailComparison.find((server) => server.name === name)!;
  const fastify = comparison(SHIPPED);
  // The most webhooks per second any run answered with p99 under 100 ms and nothing refused.
  const saturation = [...webhook.concurrency, ...webhook.sweep]
    .filter((load) => load.latency.p99 < 100 && failures(load) === 0)
    .reduce<MeasuredLoad | undefined>((best, load) => (!best || load.throughput > best.throughput ? load : best), undefined);
  return {
    fastify,
    fixedRate: webhook.fixedRate,
    saturation,
    bareRatio: fastify.throughput / comparison(BARE).throughput,
    tail: { shipped: atFixedRate(SHIPPED), floor: atFixedRate(FLOOR) },
    floor: comparison(FLOOR),
    floorRatio: fastify.throughput / comparison(FLOOR).throughput,
    expressRatio: fastify.throughput / comparison('Assent on Express').throughput,
    pushP99: Math.max(...pipeline.runs.map((run) => run.pushDelivered.p99)),
    callbackP99: Math.max(...pipeline.runs.map((run) => run.decisionToCallback.p99)),
    pushesPerWorker: results.workers.runs[0].pushes.perSecond,
  };
}

/** The lowest and highest p99 over a server's rounds. */
function p99Range(server: ServerComparison): string {
  const p99s = server.runs.map((run) => run.latency.p99);
  return `${ms(Math.min(...p99s))}–${ms(Math.max(...p99s))}`;
}

/** Whether the floor's rounds reached the 3,000/s target: what the design's Redis work alone allows on this machine. */
function floorAgainstTarget(floor: ServerComparison): string {
  const reached = floor.runs.filter((run) => run.throughput >= 3000).length;
  const rounds = `rounds of ${floor.runs.map((run) => int(run.throughput)).join(', ')}/s`;
  if (reached === 0) return `the floor stayed below 3,000/s in every round (${rounds}), so on this machine the target lies beyond what the Redis work alone allows`;
  if (reached === floor.runs.length) return `the floor passed 3,000/s in every round (${rounds}), so on this machine the Redis work alone would allow the target`;
  return `the floor passed 3,000/s in ${reached} of ${floor.runs.length} rounds (${rounds}), so on this machine the Redis work alone allows the target only some of the time`;
}

/** What the fixed-rate rounds say about the p99 target: is it the service's own cost, or the machine's? */
function tailVerdict(tail: ReturnType<typeof headline>['tail']): string {
  const floorMeets = tail.floor.runs.every((run) => run.latency.p99 < 10);
  return floorMeets
    ? `The floor keeps p99 under 10 ms in every round, so what Assent adds over it is what misses the target${tail.shipped.runs.every((run) => run.latency.p99 < 10) ? ' (here it does not miss it)' : ''}.`
    : `Even the floor, Fastify with the Redis work and nothing else, misses 10 ms in ${tail.floor.runs.filter((run) => run.latency.p99 >= 10).length} of ${tail.floor.runs.length} rounds: on this machine, with the load generator on the same two cores, the target lies beyond what the design's two Redis round trips allow before anything Assent adds to them.`;
}

export function markdown(results: Results, chartFile: string): string {
  const { machine, webhook, pipeline, vapid, workers } = results;
  const top = headline(results);
  const saturation = webhook.concurrency[webhook.concurrency.length - 1];
  const meets = (ok: boolean) => (ok ? 'met' : '**not met**');
  const out: string[] = [];
  out.push(
    '# Benchmarks',
    '',
    `Generated by \`npm run bench\` on ${machine.date.slice(0, 16).replace('T', ' ')} UTC${results.quick ? ' (BENCH_QUICK=1: short runs, rough numbers)' : ''}.`,
    `Machine: ${machine.cores} × ${machine.cpu}, ${machine.memoryGiB} GiB, Node.js ${machine.node}, Redis ${machine.redis}, PostgreSQL ${machine.postgres}.`,
    `The machine was shared with other work: its 1-minute load average was ${machine.loadAverage.start.toFixed(1)} when the run started and ${machine.loadAverage.end?.toFixed(1)} when it ended (2.0 means both cores busy)${machine.stolenPercent === undefined ? '' : `, and the hypervisor took ${Math.round(machine.stolenPercent)}% of its CPU time for other guests over the run (steal time; each run's share is in its CPU column as "${STOLEN}", 100% = one core)`}. Absolute numbers move with that; the ratios are measured in the same run, alternating between the servers, so they move much less.`,
    '',
    'Everything runs on this one machine: the API and worker processes as built (`dist/`), a redis-server of the benchmark\'s own (no persistence, like the machine\'s), PostgreSQL, stand-ins for Enfuce and a push service that answer at once (the end-to-end tests\' own: the push service checks every VAPID JWT and decrypts every message), and the load generator in a process of its own. Latencies are measured by the client and include its own queueing.',
    '',
    '## Against the targets',
    '',
    table(
      ['target (issue 6)', 'measured', ''],
      [
        [
          `webhook p99 under 10 ms at ${FIXED_RATE}/s`,
          `p99 ${ms(top.fixedRate.latency.p99)} ms (p50 ${ms(top.fixedRate.latency.p50)} ms); over ${top.tail.shipped.runs.length} more rounds p99 ${p99Range(top.tail.shipped)} ms, the floor's ${p99Range(top.tail.floor)} ms (section 2)`,
          meets(top.fixedRate.latency.p99 < 10),
        ],
        [
          '≥ 3,000 webhooks/s at saturation with p99 under 100 ms, one API process',
          top.saturation ? `${int(top.saturation.throughput)}/s with p99 ${ms(top.saturation.latency.p99)} ms` : 'no run kept p99 under 100 ms',
          meets((top.saturation?.throughput ?? 0) >= 3000),
        ],
        [
          'the same with two API processes',
          `${int(webhook.twoApis.throughput)}/s with p99 ${ms(webhook.twoApis.p99)} ms`,
          meets(webhook.twoApis.throughput >= 3000 && webhook.twoApis.p99 < 100),
        ],
        ...pipeline.runs.map((run) => [
          `TIMEOUT within 1 s of AUTH_TIMEOUT_SECONDS (${run.rate} webhooks/s, API + one worker)`,
          `at most ${ms(run.timeoutCallbackLateness.max)} ms late at Enfuce (p50 ${ms(run.timeoutCallbackLateness.p50)} ms)`,
          meets(run.timeoutCallbackLateness.max < 1000),
        ]),
      ],
    ),
    '',
    `Ratios (same run, ${webhook.comparison[0].runs.length} alternating rounds): Assent's webhook reaches **${ratio(top.bareRatio)}** of a bare \`node:http\` server's throughput, and **${ratio(top.expressRatio)}×** the same API on NestJS's default Express adapter. It reaches ${ratio(top.floorRatio)} of the floor: Fastify doing the same Redis work and nothing else, which answers ${int(top.floor.throughput)}/s here: ${floorAgainstTarget(top.floor)} (section 2).`,
    '',
    '## 1. Webhook acknowledgement',
    '',
    'The API process alone (no worker running, so the sessions and their jobs pile up in Redis), every request a new session for one of 20 enrolled cardholders.',
    '',
    '### Fixed concurrency (closed loop)',
    '',
    table(
      ['connections', 'webhooks/s', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'not 200', 'CPU (100% = one core)'],
      webhook.concurrency.map((load, i) => [CONCURRENCY_LEVELS[i], int(load.throughput), ms(load.latency.p50), ms(load.latency.p95), ms(load.latency.p99), ms(load.latency.max), failures(load), cpu(load.cpu)]),
    ),
    '',
    '### Fixed rate (open loop)',
    '',
    'Requests leave at an even pace and each latency counts from when the request was due, so a server that falls behind cannot hide it.',
    '',
    table(
      ['offered/s', 'answered/s', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'not 200', 'CPU (100% = one core)'],
      [webhook.fixedRate, ...webhook.sweep].map((load) => [int(load.rate!), int(load.throughput), ms(load.latency.p50), ms(load.latency.p95), ms(load.latency.p99), ms(load.latency.max), failures(load), cpu(load.cpu)]),
    ),
    '',
    `![Webhook latency against load](${chartFile})`,
    '',
    '### Two API processes',
    '',
    `A second API process on the same Redis, each process with a load generator of its own (${webhook.twoApis.perProcess[0].connections} connections each), as two pods behind a load balancer: **${int(webhook.twoApis.throughput)} webhooks/s** together, p99 ${ms(webhook.twoApis.p99)} ms (the worse of the two), CPU ${cpu(mergedCpu(webhook.twoApis.perProcess))}.`,
    '',
    '## 2. Against a bare server, the design\'s floor and Express',
    '',
    table(
      ['server', 'webhooks/s (mean)', 'per round', 'p50 ms', 'p99 ms', 'share of bare node:http'],
      webhook.comparison.map((server) => [
        server.name,
        int(server.throughput),
        server.runs.map((run) => int(run.throughput)).join(', '),
        ms(server.p50),
        ms(server.p99),
        ratio(server.throughput / webhook.comparison[0].throughput),
      ]),
    ),
    '',
    `${webhook.comparison[0].runs[0].connections} connections, the same requests for all. The bare server reads the body and answers 200; it is the ceiling of this machine with this load generator. ` +
      'The floor (bench/redis-floor-server.ts) is Fastify storing each webhook with exactly the API\'s Redis work (SessionStore.create: the session\'s Lua script, the push job and the delayed timeout job) and nothing else: no NestJS, authentication, validation, security headers or log line. ' +
      'From the bare server down to the floor is the cost of the Redis work (the client\'s and the redis-server\'s, on the same two cores); from the floor down to Assent, the cost of everything else.',
    '',
    `### At ${FIXED_RATE} webhooks/s`,
    '',
    `The p99 target's rate, offered at an even pace (open loop, ${webhook.tailComparison[0].runs[0].connections} connections at most) to the bare server, the floor and Assent in alternating rounds:`,
    '',
    table(
      ['server', 'p50 ms (mean)', 'p99 ms (mean)', 'p99 ms per round', 'max ms per round'],
      webhook.tailComparison.map((server) => [
        server.name,
        ms(server.p50),
        ms(server.p99),
        server.runs.map((run) => ms(run.latency.p99)).join(', '),
        server.runs.map((run) => ms(run.latency.max)).join(', '),
      ]),
    ),
    '',
    tailVerdict(top.tail),
    '',
    '## 3. Pipeline latency',
    '',
    `API and one worker; every other session is approved by its device (a software authenticator) as soon as its push arrives, the others are left to time out after AUTH_TIMEOUT_SECONDS = ${pipeline.timeoutSeconds}.`,
    '',
    table(
      ['webhooks/s', 'sessions', 'webhook → push delivered p50 / p99 ms', 'decision → callback delivered p50 / p99 ms', 'TIMEOUT at Enfuce, late by p50 / p99 / max ms', 'timeout job late by p50 / max ms', 'not pushed (ended first)', 'callbacks missing', 'callbacks twice', 'CPU'],
      pipeline.runs.map((run) => [
        run.rate,
        run.sessions,
        `${ms(run.pushDelivered.p50)} / ${ms(run.pushDelivered.p99)}`,
        `${ms(run.decisionToCallback.p50)} / ${ms(run.decisionToCallback.p99)}`,
        `${ms(run.timeoutCallbackLateness.p50)} / ${ms(run.timeoutCallbackLateness.p99)} / ${ms(run.timeoutCallbackLateness.max)}`,
        `${ms(run.timeoutJobLateness.p50)} / ${ms(run.timeoutJobLateness.max)}`,
        run.missing.pushes,
        run.missing.callbacks,
        run.duplicateCallbacks,
        cpu(run.cpu),
      ]),
    ),
    '',
    'A session whose push job waits in the queue past the session\'s timeout is not pushed (the worker skips a session that has ended; its TIMEOUT goes to Enfuce all the same): "not pushed" counts those. "Callbacks missing" counts sessions whose result never reached Enfuce, and "twice" results delivered more than once.',
    '',
    "The timeout is a BullMQ delayed job. BullMQ 5 needs no tuning for this: a worker blocks on the queue's marker until exactly the next delayed job's timestamp (millisecond resolution), and adding a job that is due sooner wakes it, instead of the old polling QueueScheduler. What a TIMEOUT loses is the worker's queueing behind other jobs plus the callback's own round trip.",
    '',
    "Where webhook → push grows to seconds, the one worker is past its capacity (section 4: a push and a callback cost it several ms of CPU each, and here it shares two cores with the API, PostgreSQL and the stand-ins, which decrypt every push and sign every approval): every job waits in the queue, the timeout's callback too. That is a capacity limit, not the timer's precision; the remedy is more worker processes, and the signal is `assent_queue_oldest_waiting_job_age_seconds` (docs/operations.md).",
    '',
    '## 4. Push fan-out',
    '',
    `Cost of one push message's request before it leaves the worker (${vapid.messages} messages, in-process):`,
    '',
    table(
      ['', 'µs of CPU per message'],
      [
        ['encryption + VAPID JWT signed per message (web-push default)', ms(vapid.signedPerMessageUs)],
        ['encryption + VAPID JWT cached per push-service origin (shipped)', ms(vapid.cachedPerMessageUs)],
        ['one ES256 JWT alone', ms(vapid.signatureUs)],
      ],
    ),
    '',
    `End to end, ${workers.devicesPerCardholder} devices per cardholder, a backlog of sessions drained by the workers (first to last push accepted by the push service):`,
    '',
    table(
      ['workers', 'sessions', 'pushes/s', 'CPU while pushing', 'callbacks/s', 'CPU while calling back'],
      workers.runs.map((run) => [run.workers, run.sessions, int(run.pushes.perSecond), cpu(run.pushes.cpu), int(run.callbacks.perSecond), cpu(run.callbacks.cpu)]),
    ),
    '',
    '## 5. Scale',
    '',
    table(
      ['what', 'per session'],
      [
        ['Redis, a live session (hash, pending index, push job, delayed timeout job, BullMQ event stream entries)', `${int(webhook.redis.bytesPerLiveSession)} bytes`],
        ...Object.entries(webhook.redis.sampleKeys).map(([key, bytes]) => [`&nbsp;&nbsp;of which ${key} (MEMORY USAGE)`, `${int(bytes)} bytes`]),
        ['Redis, a finished session until its records expire (session 5 min after the callback, job records 1 h)', `${int(workers.redisBytesPerFinishedSession)} bytes`],
        ...workers.postgres.map((row) => [`Postgres \`${row.table}\``, `${row.rowsPerSession.toFixed(2)} rows, ${int(row.bytesPerSession)} bytes`]),
      ],
    ),
    '',
    sizing(results, saturation),
    '',
    bottleneck(results, saturation),
    '',
    '## Rerun',
    '',
    '```sh',
    'bash scripts/ensure-services.sh   # Postgres and Redis, as for the tests',
    'npm run bench                     # about 9 minutes; BENCH_QUICK=1 for a rough run in under 3 minutes',
    '```',
    '',
    'It creates (and recreates) the database in `BENCH_DATABASE_URL` (default `assent_bench`), runs a redis-server of its own on a free port, prints every run as it goes and rewrites this file and its chart. To measure a change before and after in the same run, build the other version and copy its `dist/` inside this repository (so that it finds `node_modules`), then `BENCH_BASELINE_DIST=dist-baseline npm run bench`: the baseline API joins the alternating rounds of section 2. Each run also keeps its raw results in `test-results/bench-results.json`; `BENCH_REPORT_FROM=test-results/bench-results.json npm run bench` writes this file again from them without measuring. Where the API\'s CPU goes under this load: `npm run build && node dist/bench/webhook-profile.js` (half a minute) profiles the API process and prints its busy time by owner (each package, Assent\'s own folders, garbage collection, and the kernel\'s share of the Redis, HTTP and log writes).',
    '',
  );
  return out.join('\n');
}

/** Both load generators' CPU, added; the service's processes were metered once over the shared interval. */
function mergedCpu(loads: MeasuredLoad[]): Record<string, number> {
  return { ...loads[0].cpu, 'load generator': loads.reduce((sum, load) => sum + (load.cpu['load generator'] ?? 0), 0) };
}

/** What one process gets through on one core, and the memory it held: the numbers behind deploy/'s resource requests. */
function sizing(results: Results, saturation: MeasuredLoad): string {
  const { webhook, workers } = results;
  const oneWorker = workers.runs[0];
  const perCore = (perSecond: number, percent: number) => int((100 * perSecond) / percent);
  return [
    '### Sizing one process',
    '',
    table(
      ['process', 'measured', 'per core of its CPU', 'peak memory (RSS)'],
      [
        ['API', `${int(saturation.throughput)} webhooks/s at ${Math.round(saturation.cpu.api)}% CPU (${saturation.connections} connections)`, `${perCore(saturation.throughput, saturation.cpu.api)} webhooks/s`, `${int(webhook.apiPeakMemoryMiB)} MiB`],
        [
          'worker',
          `${int(oneWorker.pushes.perSecond)} pushes/s at ${Math.round(oneWorker.pushes.cpu.workers)}% CPU; ${int(oneWorker.callbacks.perSecond)} callbacks/s at ${Math.round(oneWorker.callbacks.cpu.workers)}% CPU`,
          `${perCore(oneWorker.pushes.perSecond, oneWorker.pushes.cpu.workers)} pushes/s or ${perCore(oneWorker.callbacks.perSecond, oneWorker.callbacks.cpu.workers)} callbacks/s`,
          `${int(oneWorker.peakMemoryMiB)} MiB`,
        ],
      ],
    ),
    '',
    `A session costs the worker one push per device and one callback. docs/operations.md turns these into sessions per second per pod and deploy/kubernetes's requests.`,
  ].join('\n');
}

function bottleneck(results: Results, saturation: MeasuredLoad): string {
  const perRequestMs = (percent: number, perSecond: number) => (10 * percent) / perSecond;
  const apiMs = perRequestMs(saturation.cpu.api, saturation.throughput);
  const redisMs = perRequestMs(saturation.cpu.redis, saturation.throughput);
  const onePush = results.workers.runs[0];
  const workerMs = perRequestMs(onePush.pushes.cpu.workers, onePush.pushes.perSecond);
  const { floor, fastify } = headline(results);
  const scaling = results.workers.runs.map((run) => `${run.workers} → ${int(run.pushes.perSecond)}`).join(', ');
  return [
    '### Where the first bottleneck is',
    '',
    `At ${saturation.connections} connections the processes used: ${cpu(saturation.cpu)}. ` +
      `That is ${apiMs.toFixed(2)} ms of API CPU per webhook against ${redisMs.toFixed(2)} ms of Redis CPU, so the API process is the first limit: ` +
      `one Node.js event loop on one core acknowledges at most about ${int(1000 / apiMs)} webhooks/s at this cost, and Redis could serve several API processes. ` +
      'The cost is HTTP parsing, Nest\'s routing and guard, validation, security headers, a log line, and three Redis commands (one Lua script, two BullMQ job adds). ' +
      `Fastify with the same Redis work and nothing else (the floor, section 2) answers ${int(floor.throughput)}/s, ${ratio(floor.throughput / fastify.throughput)}× Assent${floor.throughput > fastify.throughput ? ': the rest of the pipeline costs the difference' : ' (in this run the machine\'s noise outweighed what the rest of the pipeline costs)'}, ` +
      `and ${floorAgainstTarget(floor)}. ` +
      'The next step is more API processes, one per core, behind the load balancer; on this two-core machine they would compete with Redis and the load generator for the same cores.',
    '',
    `Workers: ${scaling} pushes/s with 1, 2 and 4 worker processes. One worker spends ${workerMs.toFixed(2)} ms of CPU per push ` +
      '(a fresh ECDH key pair and AES-GCM per message, TLS to the push service, the session read from Redis and the devices from Postgres); ' +
      'a second worker helps only while a core is free, and on two cores four only add contention.',
  ].join('\n');
}

/** Latency against offered load, p50 / p95 / p99, from the fixed-rate sweep; log scale for latency. */
export function chart(results: Results): string {
  const points = results.webhook.sweep;
  const width = 720;
  const height = 420;
  const margin = { left: 70, right: 150, top: 40, bottom: 55 };
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  const maxRate = Math.max(...points.map((point) => point.rate!)) * 1.05;
  const yMin = 0.1;
  const yMax = Math.max(1000, ...points.map((point) => point.latency.p99));
  const x = (rate: number) => margin.left + (rate / maxRate) * plotWidth;
  const y = (latency: number) => margin.top + plotHeight - ((Math.log10(Math.max(latency, yMin)) - Math.log10(yMin)) / (Math.log10(yMax) - Math.log10(yMin))) * plotHeight;
  const series = [
    { name: 'p50', colour: '#2b8a3e', value: (load: MeasuredLoad) => load.latency.p50 },
    { name: 'p95', colour: '#e67700', value: (load: MeasuredLoad) => load.latency.p95 },
    { name: 'p99', colour: '#c92a2a', value: (load: MeasuredLoad) => load.latency.p99 },
  ];
  const svg: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${margin.left}" y="22" font-size="14" font-weight="bold">Webhook latency against offered load (${results.machine.cores} cores, ${results.machine.date.slice(0, 10)})</text>`,
  ];
  for (let decade = Math.log10(yMin); decade <= Math.log10(yMax); decade++) {
    const value = 10 ** decade;
    svg.push(`<line x1="${margin.left}" x2="${margin.left + plotWidth}" y1="${y(value)}" y2="${y(value)}" stroke="#ddd"/>`);
    svg.push(`<text x="${margin.left - 8}" y="${y(value) + 4}" text-anchor="end">${value >= 1 ? value : value.toFixed(1)} ms</text>`);
  }
  for (const point of points) {
    svg.push(`<line x1="${x(point.rate!)}" x2="${x(point.rate!)}" y1="${margin.top + plotHeight}" y2="${margin.top + plotHeight + 5}" stroke="#333"/>`);
    svg.push(`<text x="${x(point.rate!)}" y="${margin.top + plotHeight + 18}" text-anchor="middle">${point.rate}</text>`);
  }
  svg.push(`<line x1="${margin.left}" x2="${margin.left + plotWidth}" y1="${margin.top + plotHeight}" y2="${margin.top + plotHeight}" stroke="#333"/>`);
  svg.push(`<line x1="${margin.left}" x2="${margin.left}" y1="${margin.top}" y2="${margin.top + plotHeight}" stroke="#333"/>`);
  svg.push(`<text x="${margin.left + plotWidth / 2}" y="${height - 12}" text-anchor="middle">offered webhooks per second (open loop)</text>`);
  const target = y(10);
  svg.push(`<line x1="${margin.left}" x2="${margin.left + plotWidth}" y1="${target}" y2="${target}" stroke="#999" stroke-dasharray="4 4"/>`);
  svg.push(`<text x="${margin.left + plotWidth + 6}" y="${target + 4}" fill="#666">10 ms target</text>`);
  series.forEach((line, index) => {
    const path = points.map((point, i) => `${i ? 'L' : 'M'}${x(point.rate!).toFixed(1)},${y(line.value(point)).toFixed(1)}`).join(' ');
    svg.push(`<path d="${path}" fill="none" stroke="${line.colour}" stroke-width="2"/>`);
    for (const point of points) svg.push(`<circle cx="${x(point.rate!).toFixed(1)}" cy="${y(line.value(point)).toFixed(1)}" r="3" fill="${line.colour}"/>`);
    svg.push(`<rect x="${margin.left + plotWidth + 10}" y="${margin.top + index * 20}" width="12" height="3" fill="${line.colour}"/>`);
    svg.push(`<text x="${margin.left + plotWidth + 28}" y="${margin.top + index * 20 + 5}">${line.name}</text>`);
  });
  svg.push('</svg>');
  return svg.join('\n');
}
