import { EnrolledDevice, newSessionId, sleep, useAssentUnderTest } from '../support/assent-under-test';
import { ServiceProcess } from '../support/processes';
import { SteadyWebhooks, tally } from '../support/steady-webhooks';
import { ThrowawayRedis } from '../support/throwaway-redis';

describe('graceful shutdown (SIGTERM) under load', () => {
  let redis: ThrowawayRedis;
  beforeAll(async () => {
    redis = await ThrowawayRedis.start();
  });
  const system = useAssentUnderTest(() => ({ redisUrl: redis.url, authTimeoutSeconds: 30 }));
  afterAll(async () => {
    await redis?.stop();
  });

  async function pollDevices(count: number): Promise<EnrolledDevice[]> {
    const devices: EnrolledDevice[] = [];
    for (let i = 0; i < count; i++) devices.push(await system.enrollDevice({ push: false }));
    return devices;
  }

  it('lets the API finish the requests it has in hand (webhooks and decisions), then exit 0; refuses new ones; nothing is lost', async () => {
    const devices = await pollDevices(3);
    const toDecide = devices.map(() => newSessionId());
    for (const [i, sessionId] of toDecide.entries()) await system.webhook(devices[i].customerNumber, sessionId).expect(200);

    // Redis holds still for a moment, so these requests are surely in the API's hands when SIGTERM comes.
    redis.pause();
    const newSessions = devices.map(() => newSessionId());
    const inHand = [
      ...newSessions.map((sessionId, i) => system.webhook(devices[i].customerNumber, sessionId).then((r) => r.status)),
      ...toDecide.map((sessionId, i) => system.decline(devices[i], sessionId).then((r) => r.status)),
    ];
    await sleep(300);
    const exited = system.api.stop('SIGTERM');
    await sleep(300);
    redis.resume();

    expect(await Promise.all(inHand)).toEqual([...newSessions.map(() => 200), ...toDecide.map(() => 200)]);
    expect(await exited).toBe(0);
    // Once it has gone, nobody is left hanging: the port refuses at once.
    const refused = await system.webhook(devices[0].customerNumber, newSessionId()).then(
      (response) => String(response.status),
      (error: Error & { code?: string }) => error.code,
    );
    expect(refused).toBe('ECONNREFUSED');

    // What the API took in is all there: the decisions' callbacks and audit events, the new sessions.
    system.api = ServiceProcess.start('api', system.env);
    await system.api.waitUntilReady(`${system.apiUrl}/health/ready`);
    for (const sessionId of toDecide) expect((await system.enfuce.waitForCallback(sessionId)).result).toBe('FAIL');
    const { rows } = await system.db.query("SELECT session_id FROM audit_events WHERE type = 'session.decided' AND session_id = ANY($1)", [toDecide]);
    expect(rows).toHaveLength(toDecide.length);
    for (const [i, sessionId] of newSessions.entries()) await system.decline(devices[i], sessionId).expect(200);
    for (const sessionId of newSessions) expect((await system.enfuce.waitForCallback(sessionId)).result).toBe('FAIL');
    console.log(`API SIGTERM with ${inHand.length} requests in hand: all answered 200, exit code 0, ${rows.length} audit events written, next request refused (${refused})`);
  });

  it('lets the worker finish its jobs in hand and exit 0; its successor picks up the rest: nothing lost, nothing twice, every summary written', async () => {
    const devices = await pollDevices(3);
    // Enfuce answers slowly, so callbacks are in flight whenever the signal comes.
    system.enfuce.failNext(...Array.from({ length: 400 }, () => ({ delayMs: 300 })));
    const load = new SteadyWebhooks(system, devices, 15, async (webhook) => {
      await system.decline(webhook.device, webhook.sessionId).expect(200);
    }).start();

    await sleep(3000);
    const worker = system.workers[system.workers.length - 1];
    const deliveredBefore = system.enfuce.callbacks.length;
    const code = await worker.stop('SIGTERM');
    const finishedWhileStopping = system.enfuce.callbacks.length - deliveredBefore;
    expect(code).toBe(0);
    await sleep(1000);
    await system.startWorker();
    await sleep(2000);
    await load.stop();

    const accepted = load.accepted();
    expect(accepted).toHaveLength(load.sent.length);
    for (const webhook of accepted) expect((await system.enfuce.waitForCallback(webhook.sessionId, 20000)).result).toBe('FAIL');
    for (const webhook of accepted) expect((await system.settledSummary(webhook.sessionId)).callback_outcome).toBe('delivered');
    // Each delivery is on record, the ones finished during the shutdown included.
    const { rows: attempts } = await system.db.query('SELECT session_id, status_code FROM callback_attempts WHERE session_id = ANY($1)', [accepted.map((w) => w.sessionId)]);
    expect(tally(attempts, (attempt) => attempt.status_code)).toEqual({ 200: accepted.length });
    await sleep(1000);
    const deliveries = tally(accepted, (webhook) => system.enfuce.callbacksFor(webhook.sessionId).length);
    expect(deliveries).toEqual({ 1: accepted.length });
    console.log(
      `Worker SIGTERM under load (${load.sent.length} sessions, 15/s, each declined at once): exit code ${code}, ` +
        `${finishedWhileStopping} callbacks delivered between the signal and the exit, callbacks per session ${JSON.stringify(deliveries)}, ${accepted.length} summaries written`,
    );
  }, 90_000);
});
