/**
 * Where the API's CPU goes on the webhook: a V8 CPU profile of the API process under
 * the benchmark's closed-loop load (50 connections, every request a new session),
 * summed by who owns the code: each package, each of Assent's own folders, Node's
 * modules, garbage collection, and the writes to the kernel (most of them to loopback
 * sockets, whose kernel time is counted here) split by whose bytes they carry. Not
 * part of `npm run bench`; run it with `npm run build && node dist/bench/webhook-profile.js`.
 * Prints a table; the profile itself is kept in test-results/ for Chrome DevTools.
 */
import 'reflect-metadata';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../test/support/processes';
import { Bench, dist, enrollCardholders, loadPlan, runLoad, seconds, startServer, until } from './harness';
import { describeMachine } from './measure';
import { table } from './report';

const PROFILE = join(ROOT, 'test-results', 'webhook.cpuprofile');
const SHOWN = 20;

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

// The native functions in which Node's socket and file writes hand their bytes to the kernel.
const KERNEL_WRITES = new Set(['writeUtf8String', 'writeLatin1String', 'writeAsciiString', 'writeBuffer', 'writev', 'writeString']);

async function main(): Promise<void> {
  const machine = describeMachine();
  console.log(`Webhook CPU profile on ${machine.cores} × ${machine.cpu}, load average ${machine.loadAverage.start.toFixed(1)}`);
  mkdirSync(join(ROOT, 'test-results'), { recursive: true });
  rmSync(PROFILE, { force: true });
  const bench = await Bench.start();
  const system = await bench.system({ workers: 0 });
  try {
    const customers = (await enrollCardholders(system, 20)).map(([device]) => device.customerNumber);
    const api = await startServer('profiled API', dist('apps', 'api', 'src', 'main.js'), {
      ...system.env,
      NODE_OPTIONS: `--require ${dist('bench', 'cpu-profiler.js')}`,
      CPU_PROFILE_PATH: PROFILE,
    }, '/health/ready');
    try {
      const load = (durationSeconds: number) => runLoad(loadPlan(system, api.url, customers, { connections: 50, durationSeconds }), bench.meter(system, { 'profiled api': () => [api.process.pid] }));
      await load(seconds(4));
      process.kill(api.process.pid, 'SIGUSR2');
      const measured = await load(seconds(10));
      process.kill(api.process.pid, 'SIGUSR2');
      await until(() => existsSync(PROFILE), 10000, 'the profile');
      console.log(`Profiled run: ${Math.round(measured.throughput)} webhooks/s, p99 ${measured.latency.p99.toFixed(1)} ms, the API at ${Math.round(measured.cpu['profiled api'])}% of a core`);
    } finally {
      await api.process.stop();
    }
  } finally {
    await system.stop();
    await bench.stop();
  }
  console.log(shareTable(cpuByOwner(JSON.parse(readFileSync(PROFILE, 'utf8')) as CpuProfile)));
  console.log(`\nThe profile: ${PROFILE} (open it in Chrome DevTools, Performance panel).`);
}

/** Busy CPU time (everything but idle) by owner, as shares. */
function cpuByOwner(profile: CpuProfile): [string, number][] {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parents = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
  const selfTime = new Map<number, number>();
  profile.samples.forEach((id, i) => selfTime.set(id, (selfTime.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));

  const owners = new Map<string, number>();
  let busy = 0;
  for (const [id, time] of selfTime) {
    const node = nodes.get(id)!;
    if (node.callFrame.functionName === '(idle)') continue;
    busy += time;
    const owner = KERNEL_WRITES.has(node.callFrame.functionName) ? `writes to the kernel: ${writer(id, nodes, parents)}` : ownerOf(node);
    owners.set(owner, (owners.get(owner) ?? 0) + time);
  }
  return [...owners].map(([owner, time]): [string, number] => [owner, time / busy]).sort((a, b) => b[1] - a[1]);
}

function ownerOf({ callFrame: { functionName, url } }: ProfileNode): string {
  if (functionName === '(garbage collector)') return 'garbage collection';
  if (!url) return `V8 and native (${functionName})`;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  const own = /\/dist\/((?:apps|libs)\/[^/]+)/.exec(url);
  if (own) return `assent: ${own[1]}`;
  if (url.startsWith('node:')) return `Node.js ${url.slice('node:'.length).replace(/^internal\//, '')}`;
  return url;
}

/** Whose bytes a write carried: the nearest caller that is the Redis client, Node's HTTP response or the log. */
function writer(id: number, nodes: Map<number, ProfileNode>, parents: Map<number, number>): string {
  for (let parent = parents.get(id); parent !== undefined; parent = parents.get(parent)) {
    const url = nodes.get(parent)!.callFrame.url;
    if (url.includes('node_modules/ioredis/')) return 'Redis commands';
    if (url === 'node:_http_outgoing') return 'HTTP responses';
    if (url.includes('sonic-boom')) return 'log lines';
  }
  return 'other';
}

function shareTable(shares: [string, number][]): string {
  const rest = shares.slice(SHOWN).reduce((sum, [, share]) => sum + share, 0);
  const rows = [...shares.slice(0, SHOWN), ...(rest > 0 ? [[`${shares.length - SHOWN} others`, rest] as [string, number]] : [])];
  return table(['owner', "share of the API's busy CPU"], rows.map(([owner, share]) => [owner, `${(100 * share).toFixed(1)}%`]));
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
