/**
 * Runs the built API, worker and sandbox as real child processes, as an operator
 * would (`npm run start:api`, `npm run start:worker`, `npm run start:sandbox`), so
 * end-to-end tests exercise the real bootstrapping, signals and crash recovery.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The repository, found from here whether this file runs as source (jest) or built (the benchmark, from dist/). */
export const ROOT = (function findRoot(dir: string): string {
  return existsSync(join(dir, 'package.json')) ? dir : findRoot(dirname(dir));
})(__dirname);
// Tests read the recent output (readiness lines, request ids, a failure's context);
// a benchmark's millions of request lines need not stay in memory.
const KEPT_OUTPUT_CHARS = 4 * 1024 * 1024;

export class ServiceProcess {
  private output = '';
  private exited: Promise<number | null>;

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
  ) {
    const keep = (chunk: Buffer) => {
      this.output += chunk.toString();
      if (this.output.length > 2 * KEPT_OUTPUT_CHARS) this.output = this.output.slice(-KEPT_OUTPUT_CHARS);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  static start(app: 'api' | 'worker' | 'sandbox', env: Record<string, string>): ServiceProcess {
    return ServiceProcess.run(app, join(ROOT, 'dist', 'apps', app, 'src', 'main.js'), env);
  }

  /** Any built script as a process of its own (the benchmark's load generator and servers). */
  static run(name: string, script: string, env: Record<string, string>, args: string[] = []): ServiceProcess {
    const child = spawn(process.execPath, [script, ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new ServiceProcess(name, child);
  }

  get pid(): number {
    return this.child.pid ?? 0;
  }

  get logs(): string {
    return this.output;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Waits until `url` answers 200, or fails with the process's output. */
  async waitUntilReady(url: string, timeoutMs = 20000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!this.running) throw new Error(`${this.name} exited early:\n${this.output}`);
      const ok = await fetch(url).then((response) => response.ok, () => false);
      if (ok) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`${this.name} was not ready within ${timeoutMs} ms:\n${this.output}`);
  }

  /** Sends a signal and waits for the process to exit; SIGKILL is the crash test. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    if (this.running) this.child.kill(signal);
    return this.exited;
  }

  waitForExit(): Promise<number | null> {
    return this.exited;
  }
}

/** A free TCP port on loopback (closed again before use; good enough for tests). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
