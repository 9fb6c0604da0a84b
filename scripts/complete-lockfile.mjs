// The npm registry this project's machines reach serves only the Linux builds of
// packages with per-platform optional dependencies (@swc/core, msgpackr-extract,
// unrs-resolver). `npm install` then writes a lockfile without the other platforms'
// entries, and `npm ci` refuses it as out of sync. This adds those entries, marked
// optional with the os/cpu their names state, so `npm ci` skips them everywhere
// they do not apply. Run it after `npm install` changes the lockfile.
import { readFileSync, writeFileSync } from 'node:fs';

const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'));
const OS = ['darwin', 'linux', 'win32', 'freebsd', 'android', 'openharmony'];
const CPU = { arm64: 'arm64', x64: 'x64', arm: 'arm', ia32: 'ia32', ppc64: 'ppc64', s390x: 's390x', riscv64: 'riscv64', loong64: 'loong64' };

let added = 0;
for (const [path, entry] of Object.entries(lock.packages).filter(([key]) => key !== '')) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const hoisted = `node_modules/${name}`;
    if (lock.packages[hoisted] || lock.packages[`${path}/${hoisted}`]) continue;
    const parts = name.split('/').pop().split('-');
    const os = OS.find((candidate) => parts.includes(candidate));
    const cpu = parts.map((part) => CPU[part]).find(Boolean) ?? (parts.includes('eabi') ? 'arm' : undefined);
    if (!os || !cpu) continue;
    lock.packages[hoisted] = { version, optional: true, os: [os], cpu: [cpu] };
    added += 1;
  }
}
lock.packages = Object.fromEntries(Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))));
writeFileSync('package-lock.json', `${JSON.stringify(lock, null, 2)}\n`);
console.log(`complete-lockfile: added ${added} platform entries`);
