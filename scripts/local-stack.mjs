// What `npm run dev` and `npm run demo` share: the development configuration, the
// database, the build and migrations, and running several built processes as one.
import { execSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import pg from 'pg';

/** Reads `.env`, or `.env.example` when there is none; variables already set in the shell win. */
export function loadConfiguration(tag) {
  const envFile = existsSync('.env') ? '.env' : '.env.example';
  process.loadEnvFile(envFile);
  console.log(`[${tag}] configuration from ${envFile}`);
}

/** Creates the database named in DATABASE_URL if missing, then builds and applies the migrations. */
export async function prepare(tag) {
  await ensureDatabase(tag, process.env.DATABASE_URL);
  execSync('npm run --silent build', { stdio: 'inherit' });
  execSync('npm run --silent migration:run', { stdio: 'inherit' });
}

/**
 * Runs the built apps (`dist/apps/<name>/src/main.js`) together with this process's
 * environment; when one stops, or on Ctrl-C, all are stopped.
 */
export function runTogether(tag, names) {
  let stopping = false;
  const stopAll = () => {
    if (stopping) return;
    stopping = true;
    for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  };
  const children = names.map((name) => {
    const child = spawn(process.execPath, [`dist/apps/${name}/src/main.js`], { stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('exit', (code, signal) => {
      console.log(`[${tag}] ${name} stopped (${signal ?? code})`);
      stopAll();
    });
    return child;
  });
  process.on('SIGINT', stopAll);
  process.on('SIGTERM', stopAll);
  return children;
}

async function ensureDatabase(tag, url) {
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
      console.log(`[${tag}] created database ${name}`);
    }
  } finally {
    await client.end();
  }
}
