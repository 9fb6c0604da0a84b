import { Queue } from 'bullmq';
import { bullPrefix } from '@assent/queue';
import { newSessionId, sleep, useAssentUnderTest, WEBHOOK_CREDENTIALS } from '../support/assent-under-test';
import { tally } from '../support/steady-webhooks';
import { TcpProxy } from '../support/tcp-proxy';
import { TEST_DATABASE_URL } from '../support/test-database';

const AUTH_TIMEOUT_SECONDS = 6;
const OUTAGE_MS = 12_000;

describe('Postgres unreachable', () => {
  // The service reaches Postgres through a proxy of the test's own, which the test cuts.
  let postgres: TcpProxy;
  beforeAll(async () => {
    const url = new URL(TEST_DATABASE_URL);
    postgres = await TcpProxy.start({ host: url.hostname, port: Number(url.port || 5432) });
  });
  const system = useAssentUnderTest(() => ({
    authTimeoutSeconds: AUTH_TIMEOUT_SECONDS,
    extraEnv: { DATABASE_URL: postgres.route(TEST_DATABASE_URL) },
  }));
  afterAll(async () => {
    await postgres?.stop();
  });

  it('for 12 s: webhooks answer from Redis, results still reach Enfuce, and every summary, delivery and audit event is written once it is back', async () => {
    const device = await system.enrollDevice({ push: false });
    const before = [newSessionId(), newSessionId()];
    for (const sessionId of before) await system.webhook(device.customerNumber, sessionId).expect(200);
    await sleep(500);

    postgres.cut();
    const cutAt = Date.now();
    await system.http().get('/health/ready').expect(503);
    // Enfuce's webhooks never touch Postgres.
    const during: string[] = [];
    for (let i = 0; i < 5; i++) {
      const sessionId = newSessionId();
      const started = Date.now();
      await system.webhook(device.customerNumber, sessionId).expect(200);
      expect(Date.now() - started).toBeLessThan(2000);
      during.push(sessionId);
    }
    // A refused webhook's audit event cannot be written now; it waits in Redis.
    const forged = newSessionId();
    await system
      .http()
      .post(`/v1/authenticate/${device.customerNumber}/${forged}`)
      .auth(WEBHOOK_CREDENTIALS.username, 'not-the-password')
      .send(system.webhookBody(device.customerNumber, forged))
      .expect(401);
    // A device's requests need its record from Postgres: refused as unavailable, so the app tries again.
    const decision = await system.decline(device, before[0]);
    expect(decision.status).toBe(503);
    expect(decision.body.errorCode).toBe('STORE_UNAVAILABLE');

    // Nobody decides, so every session times out, and Enfuce hears so while Postgres is still away.
    const sessions = [...before, ...during];
    for (const sessionId of sessions) expect((await system.enfuce.waitForCallback(sessionId, 15000)).result).toBe('TIMEOUT');
    const deliveredDuringOutage = sessions.filter((sessionId) => system.enfuce.callbacksFor(sessionId)[0].receivedAt < cutAt + OUTAGE_MS).length;
    expect(deliveredDuringOutage).toBe(sessions.length);
    await sleep(cutAt + OUTAGE_MS - Date.now());
    const records = new Queue('records', { connection: system.redis, prefix: bullPrefix(system.prefix) });
    const waiting = await records.getJobCountByTypes('waiting', 'delayed', 'active', 'prioritized');
    postgres.restore();
    const restoredAt = Date.now();

    // Once it is back, everything that waited is written: summaries, callback attempts, the audit event.
    for (const sessionId of sessions) {
      expect(await system.settledSummary(sessionId, 60000)).toMatchObject({ state: 'TIMEOUT', callback_outcome: 'delivered' });
    }
    const caughtUpAfter = Date.now() - restoredAt;
    const { rows: attempts } = await system.db.query('SELECT session_id, status_code FROM callback_attempts WHERE session_id = ANY($1)', [sessions]);
    expect(tally(attempts, (attempt) => attempt.status_code)).toEqual({ 200: sessions.length });
    let audited = 0;
    for (const deadline = Date.now() + 30000; !audited && Date.now() < deadline; await sleep(200)) {
      ({ rowCount: audited } = (await system.db.query("SELECT 1 FROM audit_events WHERE type = 'webhook.rejected' AND session_id = $1", [forged])) as { rowCount: number });
    }
    expect(audited).toBe(1);
    await sleep(500);
    expect(tally(sessions, (sessionId) => system.enfuce.callbacksFor(sessionId).length)).toEqual({ 1: sessions.length });
    await records.close();
    console.log(
      `Postgres unreachable ${OUTAGE_MS / 1000} s: ${during.length} webhooks answered 200 meanwhile, a device's decision 503; ` +
        `${deliveredDuringOutage} TIMEOUT callbacks delivered during the outage, once each; ${waiting} records waited in Redis and were all written ` +
        `${caughtUpAfter} ms after Postgres returned (summaries, callback attempts, the refused webhook's audit event)`,
    );
  }, 120_000);
});
