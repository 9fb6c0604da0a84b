/**
 * The dashboard's lists and overview at a million sessions: each query the API
 * runs (the same builders) is EXPLAINed on generated data and must read a page
 * from an index, never scan the table. The data lives in a database of its own
 * (`<test database>_million`), generated on the first run and kept for the next.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { Client } from 'pg';
import { sessionPageQuery, sessionListSchema } from '../../apps/api/src/admin/authentications/authentication-queries';
import { sessionStatsQuery } from '../../apps/api/src/admin/overview/overview-queries';
import { encodeCursor, SqlQuery } from '../../apps/api/src/admin/pagination';
import { TEST_DATABASE_URL } from '../support/test-database';

const SESSIONS = 1_000_000;
const url = new URL(TEST_DATABASE_URL);
url.pathname = `${url.pathname}_million`;

// 1M sessions over 30 days (one every 2.6 s), 50,000 cardholders, 8,000 merchants;
// 70 % SUCCESS, 10 % each FAIL, ERROR, TIMEOUT; 1 in 97 declines "not me"; 10 still pending.
const GENERATE = `
  INSERT INTO authentication_sessions (session_id, institution_code, customer_number, state, result, merchant_name, merchant_country,
    amount, currency, card_number_masked, received_at, expires_at, settled_at, decline_reason, callback_outcome, callback_settled_at)
  SELECT gen_random_uuid(), 'bank', 'c' || (i % 50000), o.state, o.result,
    (ARRAY['Airline of the world inc.', 'Bookshop Oy', 'Coffee Corner', 'Grocer Helsinki', 'Electronics Mega Store', 'Taxi Nordic', 'Hotel Aurora', 'Streaming Plus'])[1 + i % 8] || ' ' || (i % 1000),
    'FIN', (i % 500) + 0.99, 'EUR', '342170______9554', t.at, t.at + interval '120 seconds',
    CASE WHEN o.result IS NOT NULL THEN t.at + interval '8 seconds' END,
    CASE WHEN o.result = 'FAIL' AND i % 97 = 0 THEN 'not_me' END,
    CASE WHEN o.result IS NOT NULL THEN 'delivered' END,
    CASE WHEN o.result IS NOT NULL THEN t.at + interval '9 seconds' END
  FROM generate_series(1, ${SESSIONS}) AS i
  CROSS JOIN LATERAL (SELECT date_trunc('milliseconds', now() - i * interval '2592 milliseconds') AS at) t
  CROSS JOIN LATERAL (
    SELECT CASE WHEN i % 100000 = 0 THEN NULL WHEN i % 10 < 7 THEN 'SUCCESS' ELSE (ARRAY['FAIL', 'ERROR', 'TIMEOUT'])[i % 10 - 6] END AS result
  ) r
  CROSS JOIN LATERAL (
    SELECT r.result, CASE r.result WHEN 'SUCCESS' THEN 'APPROVED' WHEN 'FAIL' THEN 'DECLINED' WHEN NULL THEN 'PENDING' ELSE coalesce(r.result, 'PENDING') END AS state
  ) o`;

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Actual Rows': number;
  Plans?: PlanNode[];
}

function nodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodes)];
}

describe('dashboard queries at a million sessions', () => {
  let db: Client;
  const measured: string[] = [];

  beforeAll(async () => {
    const admin = new Client({ connectionString: new URL('/postgres', url).toString() });
    await admin.connect();
    const name = url.pathname.slice(1);
    if (!(await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount) await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    execFileSync(process.execPath, [join(__dirname, '..', '..', 'dist/libs/persistence/src/run-migrations.js')], { env: { ...process.env, DATABASE_URL: url.toString() }, stdio: 'inherit' });
    db = new Client({ connectionString: url.toString() });
    await db.connect();
    const { rows } = await db.query('SELECT count(*)::int AS count FROM authentication_sessions');
    if (rows[0].count !== SESSIONS) {
      const started = Date.now();
      await db.query('TRUNCATE authentication_sessions');
      await db.query(GENERATE);
      console.log(`generated ${SESSIONS} sessions in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    }
    await db.query('ANALYZE authentication_sessions');
  }, 15 * 60_000);

  afterAll(async () => {
    console.log(`EXPLAIN ANALYZE at ${SESSIONS} sessions:\n${measured.join('\n')}`);
    await db?.end();
  });

  async function explain(name: string, query: SqlQuery): Promise<{ plan: PlanNode; ms: number }> {
    const { rows } = await db.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${query.text}`, query.values);
    const [{ Plan: plan, 'Execution Time': ms }] = rows[0]['QUERY PLAN'];
    measured.push(`  ${name.padEnd(44)} ${ms.toFixed(2).padStart(8)} ms  ${nodes(plan).map((node) => node['Index Name'] ?? node['Node Type']).join(' > ')}`);
    return { plan, ms };
  }

  function page(filter: Record<string, unknown>): SqlQuery {
    return sessionPageQuery(sessionListSchema.parse({ limit: 50, ...filter }));
  }

  /** A page read from the named index, touching at most `maxRows` rows, the table never scanned. */
  async function expectIndexPage(name: string, query: SqlQuery, index: string, maxRows = 51) {
    const { plan } = await explain(name, query);
    const all = nodes(plan);
    expect(all.filter((node) => node['Node Type'] === 'Seq Scan')).toEqual([]);
    const scan = all.find((node) => node['Index Name'] === index);
    expect(scan).toBeDefined();
    expect(scan!['Actual Rows']).toBeLessThanOrEqual(maxRows);
  }

  it('reads the newest page from the keyset index', async () => {
    await expectIndexPage('newest page', page({}), 'authentication_sessions_page');
  });

  it('reads a page half a million rows deep as cheaply as the first', async () => {
    const { rows } = await db.query('SELECT received_at::text AS at, session_id FROM authentication_sessions ORDER BY received_at DESC, session_id DESC OFFSET 500000 LIMIT 1');
    await expectIndexPage('page 10,000 (by cursor)', page({ cursor: encodeCursor([rows[0].at, rows[0].session_id]) }), 'authentication_sessions_page');
  });

  it('filters by result from its own index', async () => {
    await expectIndexPage('result = TIMEOUT', page({ result: 'TIMEOUT' }), 'authentication_sessions_result_page');
    await expectIndexPage('result = PENDING', page({ result: 'PENDING' }), 'authentication_sessions_pending');
  });

  it('filters by customer number from its own index', async () => {
    await expectIndexPage('customer number', page({ customerNumber: 'c4242' }), 'authentication_sessions_customer_page');
  });

  it('lists "not me" reports from their partial index', async () => {
    await expectIndexPage('not me', page({ notMe: 'true' }), 'authentication_sessions_not_me');
  });

  it('finds a merchant with 0.1 % of the sessions by any part of its name through the trigram index', async () => {
    await expectIndexPage('merchant contains (1,000 matches)', page({ merchant: 'kshop oy 177' }), 'authentication_sessions_merchant_trgm', 2000);
  });

  it('finds a common merchant without scanning the table', async () => {
    const { plan } = await explain('merchant contains (common)', page({ merchant: 'coffee' }));
    expect(nodes(plan).filter((node) => node['Node Type'] === 'Seq Scan')).toEqual([]);
  });

  it('computes a day of the overview from the received_at range, not the whole table', async () => {
    const to = new Date();
    const { plan } = await explain('overview, last day (~33,000 sessions)', sessionStatsQuery(new Date(to.getTime() - 86_400_000), to, 1800));
    const all = nodes(plan);
    expect(all.filter((node) => node['Node Type'] === 'Seq Scan')).toEqual([]);
    expect(all.some((node) => node['Index Name'] === 'authentication_sessions_page')).toBe(true);
  });
});
