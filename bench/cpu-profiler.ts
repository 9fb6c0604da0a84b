/**
 * Loaded into a process under test with `--require` (NODE_OPTIONS may carry it,
 * unlike --cpu-prof): the first SIGUSR2 starts V8's sampling profiler, the second
 * stops it and writes the profile to CPU_PROFILE_PATH, so that a profile covers a
 * load run and not the process's start-up. Used by bench/webhook-profile.ts only.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';

const path = process.env.CPU_PROFILE_PATH;
if (path) {
  const session = new Session();
  session.connect();
  const post = (method: string, params: object = {}) =>
    new Promise<unknown>((resolve, reject) => session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))));
  let profiling = false;
  process.on('SIGUSR2', () => {
    const step = profiling
      ? post('Profiler.stop').then((result) => writeFileSync(path, JSON.stringify((result as { profile: unknown }).profile)))
      : post('Profiler.enable').then(() => post('Profiler.start'));
    profiling = !profiling;
    step.catch((error: unknown) => console.error('cpu-profiler:', error));
  });
}
