// `npm run dev`: builds, prepares the database and runs the API and the worker
// together with the development configuration, for a first look on one machine.
import { execSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import pg from 'pg';

const envFile = existsSync('.env') ? '.env' : '.env.example';
process.loadEnvFile(envFile);
console.log(`[dev] configuration from ${envFile}`);

await ensureDatabase(process.env.DATABASE_URL);
execSync('npm run --silent build', { stdio: 'inherit' });
execSync('npm run --silent migration:run', { stdio: 'inherit' });

const children = ['api', 'worker'].map((name) => {
  const child = spawn(process.execPath, [`dist/apps/${name}/src/main.js`], { stdio: ['ignore', 'inherit', 'inherit'] });
  child.on('exit', (code, signal) => {
    console.log(`[dev] ${name} stopped (${signal ?? code})`);
    stopAll();
  });
  return child;
});
let stopping = false;
function stopAll() {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
}
process.on('SIGINT', stopAll);
process.on('SIGTERM', stopAll);

/** Creates the database named in DATABASE_URL when the server has no such database yet. */
async function ensureDatabase(url) {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) {
      await client.query(`CREATE DATABASE "${name.replaceAll('"', '""')}"`);
      console.log(`[dev] created database ${name}`);
    }
  } finally {
    await client.end();
  }
}
