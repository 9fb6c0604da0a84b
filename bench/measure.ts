/** Numbers: percentiles, CPU time of processes, and a description of the machine. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';

export interface LoadPlan {
  url: string;
  /** Connections: the closed loop's concurrency, or the open loop's socket limit. */
  connections: number;
  durationSeconds: number;
  /** Requests per second for an open loop; absent for a closed loop. */
  rate?: number;
  customers: string[];
  /** `username:password` for the webhook's Basic auth. */
  credentials: string;
  callbackBaseUrl: string;
  institution: string;
}

export interface Latency {
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export interface LoadResult {
  connections: number;
  rate?: number;
  requests: number;
  /** Answered requests per second. */
  throughput: number;
  latency: Latency;
  /** Answers by HTTP status. */
  statuses: Record<string, number>;
  /** Requests that got no answer (refused, reset, timed out). */
  errors: number;
  /** The load generator's own CPU, percent of one core. */
  generatorCpu: number;
}

export function summarize(plan: LoadPlan, latencies: number[], statuses: Record<string, number>, errors: number, elapsedMs: number): LoadResult {
  const { user, system } = process.cpuUsage();
  return {
    generatorCpu: (user + system) / 10 / elapsedMs,
    connections: plan.connections,
    rate: plan.rate,
    requests: latencies.length,
    throughput: latencies.length / (elapsedMs / 1000),
    latency: percentiles(latencies),
    statuses,
    errors,
  };
}

/** Nearest-rank percentiles, in the unit of the values. */
export function percentiles(values: number[]): Latency {
  if (values.length === 0) return { p50: NaN, p95: NaN, p99: NaN, max: NaN };
  const sorted = Float64Array.from(values).sort();
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
  return { p50: at(50), p95: at(95), p99: at(99), max: sorted[sorted.length - 1] };
}

/** CPU seconds (user + system) a process has used so far, from /proc. */
function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    // utime and stime are fields 14 and 15 of the whole line, in clock ticks (100 per second on Linux).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/** The most memory a process has held resident so far (VmHWM), in MiB: what a container's memory request must cover. */
export function peakMemoryMiB(pid: number): number {
  try {
    const kib = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return Number(kib ?? 0) / 1024;
  } catch {
    return 0;
  }
}

/**
 * CPU seconds the hypervisor gave to other guests while this one's cores wanted to
 * run (steal time, summed over the cores, from /proc/stat): on a shared virtual
 * machine the cores the benchmark counts on are not all there.
 */
function stolenCpuSeconds(): number {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
    // cpu user nice system idle iowait irq softirq steal …, in clock ticks (100 per second).
    return Number(fields[8] ?? 0) / 100;
  } catch {
    return 0;
  }
}

export function pidsOf(command: string): number[] {
  try {
    return execFileSync('pgrep', ['-x', command], { encoding: 'utf8' }).trim().split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** The CpuMeter's entry for CPU time the hypervisor took from this machine. */
export const STOLEN = 'stolen by the hypervisor';

/**
 * How busy each named group of processes keeps the CPU over an interval: 100% is
 * one core. On a machine with two cores the groups together can reach 200%, less
 * what the hypervisor took (STOLEN).
 */
export class CpuMeter {
  private startedAt = performance.now();
  private before: Map<string, number>;

  constructor(private readonly groups: Record<string, () => number[]>) {
    this.before = this.read();
  }

  /** Starts the interval again from now. */
  restart(): void {
    this.startedAt = performance.now();
    this.before = this.read();
  }

  private read(): Map<string, number> {
    const used = Object.entries(this.groups).map(([name, pids]): [string, number] => [name, pids().reduce((sum, pid) => sum + cpuSeconds(pid), 0)]);
    return new Map([...used, [STOLEN, stolenCpuSeconds()]]);
  }

  /** Percent of one core per group since the meter was made. */
  stop(): Record<string, number> {
    const after = this.read();
    const seconds = (performance.now() - this.startedAt) / 1000;
    return Object.fromEntries([...after].map(([name, used]) => [name, (100 * (used - (this.before.get(name) ?? 0))) / seconds]));
  }
}

export interface Machine {
  date: string;
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  redis: string;
  postgres: string;
  /** 1-minute load average when the run started and ended: other work on the machine shows here. */
  loadAverage: { start: number; end?: number };
  /** Steal time over the whole run, percent of all cores: other guests on the same host show here. */
  stolenPercent?: number;
}

export function describeMachine(): Machine {
  const version = (command: string, args: string[], pattern: RegExp) => {
    try {
      return pattern.exec(execFileSync(command, args, { encoding: 'utf8' }))?.[1] ?? 'unknown';
    } catch {
      return 'unknown';
    }
  };
  return {
    date: new Date().toISOString(),
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    redis: version('redis-server', ['--version'], /v=(\S+)/),
    postgres: version('psql', ['--version'], /(\d+(\.\d+)?)/),
    loadAverage: { start: loadavg()[0] },
  };
}

export function loadAverageNow(): number {
  return loadavg()[0];
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
