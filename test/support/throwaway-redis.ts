/**
 * A redis-server of the test's own, on another port, for tests that stop or pause
 * Redis: the machine's shared Redis is never stopped (shared/machine.md).
 * By default it keeps an append-only file so that a restart keeps what was stored,
 * as a production Redis with persistence would; the benchmark's keeps nothing on
 * disk, like the machine's shared one.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { freePort } from './processes';

// Every server still running when the test process exits is killed then, so that
// a failing or interrupted test leaves none behind.
const running = new Set<ChildProcess>();
process.once('exit', () => running.forEach((child) => child.kill('SIGKILL')));

export interface ThrowawayRedisOptions {
  persistent?: boolean;
  /** More redis-server arguments (replication, cluster mode). */
  args?: string[];
  /**
   * A configuration file to start from, written into the server's own directory;
   * with `--sentinel` in `args` the server is a Sentinel, which rewrites that file.
   */
  config?: (port: number) => string;
}

export class ThrowawayRedis {
  private process?: ChildProcess;
  readonly dir = mkdtempSync(join(tmpdir(), 'assent-redis-'));

  private constructor(
    readonly port: number,
    private readonly options: ThrowawayRedisOptions,
  ) {}

  static async start(options: ThrowawayRedisOptions = {}): Promise<ThrowawayRedis> {
    const redis = new ThrowawayRedis(await freePort(), options);
    await redis.restart();
    return redis;
  }

  get pid(): number {
    return this.process?.pid ?? 0;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.process !== undefined && this.process.exitCode === null && this.process.signalCode === null;
  }

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  async restart(): Promise<void> {
    const persistence = this.options.persistent ?? true ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no'];
    const configFile = join(this.dir, 'redis.conf');
    if (this.options.config && !existsSync(configFile)) writeFileSync(configFile, this.options.config(this.port));
    const child = spawn(
      'redis-server',
      [
        ...(this.options.config ? [configFile] : []),
        ...['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, ...persistence, '--save', '', '--maxmemory-policy', 'noeviction'],
        ...(this.options.args ?? []),
      ],
      { stdio: 'ignore' },
    );
    this.process = child;
    running.add(child);
    child.once('exit', () => running.delete(child));
    const client = new Redis(this.url, { lazyConnect: true, retryStrategy: () => 50, maxRetriesPerRequest: 1 });
    client.on('error', () => undefined);
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline) {
      if (await client.ping().then(() => true, () => false)) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    client.disconnect();
  }

  /** Stops the server as a crash would (SIGKILL), or pauses it so that it hangs (SIGSTOP). */
  async kill(): Promise<void> {
    const child = this.process;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  /** Forgets everything stored, as a Redis without persistence does when it restarts. */
  async wipe(): Promise<void> {
    rmSync(this.dir, { recursive: true, force: true });
    mkdirSync(this.dir);
  }

  pause(): void {
    this.process?.kill('SIGSTOP');
  }

  resume(): void {
    this.process?.kill('SIGCONT');
  }

  async stop(): Promise<void> {
    this.resume();
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
