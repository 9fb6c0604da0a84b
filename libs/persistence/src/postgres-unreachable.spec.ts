import { createServer } from 'node:net';
import { Client } from 'pg';
import { isPostgresUnreachable } from './postgres-unreachable';

// The machine's real Postgres (its always-present `postgres` database), and a port where nothing listens.
const server = new URL(process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/assent_test');
server.pathname = '/postgres';

async function errorOf(work: () => Promise<unknown>): Promise<unknown> {
  return work().then(
    () => undefined,
    (error: unknown) => error,
  );
}

async function closedPort(): Promise<number> {
  const listener = createServer();
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  const { port } = listener.address() as { port: number };
  await new Promise((resolve) => listener.close(resolve));
  return port;
}

describe('isPostgresUnreachable', () => {
  it('is true when nothing answers at the address', async () => {
    const client = new Client({ host: '127.0.0.1', port: await closedPort(), user: 'postgres', connectionTimeoutMillis: 1000 });
    expect(isPostgresUnreachable(await errorOf(() => client.connect()))).toBe(true);
  });

  it('is true when the server ends the connection under a query', async () => {
    const victim = new Client({ connectionString: server.toString() });
    const admin = new Client({ connectionString: server.toString() });
    await Promise.all([victim.connect(), admin.connect()]);
    victim.on('error', () => undefined);
    const { rows } = await victim.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    const sleeping = errorOf(() => victim.query('SELECT pg_sleep(5)'));
    await new Promise((resolve) => setTimeout(resolve, 200));
    await admin.query('SELECT pg_terminate_backend($1)', [rows[0].pid]);
    await admin.end();
    expect(isPostgresUnreachable(await sleeping)).toBe(true);
  });

  it('is false for a query Postgres refused, and for anything that is not an error', async () => {
    const client = new Client({ connectionString: server.toString() });
    await client.connect();
    const refused = await errorOf(() => client.query('SELECT * FROM no_such_table'));
    await client.end();
    expect(refused).toMatchObject({ code: '42P01' });
    expect(isPostgresUnreachable(refused)).toBe(false);
    expect(isPostgresUnreachable('ECONNREFUSED')).toBe(false);
  });
});
