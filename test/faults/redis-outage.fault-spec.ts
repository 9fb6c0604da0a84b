import { EnrolledDevice, newSessionId, sleep, useAssentUnderTest } from '../support/assent-under-test';
import { SentWebhook, SteadyWebhooks, tally } from '../support/steady-webhooks';
import { ThrowawayRedis } from '../support/throwaway-redis';

const AUTH_TIMEOUT_SECONDS = 12;

describe('Redis unavailable', () => {
  let redis: ThrowawayRedis;
  beforeAll(async () => {
    redis = await ThrowawayRedis.start();
  });
  const system = useAssentUnderTest(() => ({ redisUrl: redis.url, authTimeoutSeconds: AUTH_TIMEOUT_SECONDS }));
  afterAll(async () => {
    await redis?.stop();
  });

  /** Redis reconnects in the background; Enfuce would retry until we answer 200. */
  async function webhookUntilAccepted(customerNumber: string) {
    const deadline = Date.now() + 10000;
    let response = await system.webhook(customerNumber, newSessionId());
    while (response.status !== 200 && Date.now() < deadline) {
      await sleep(200);
      response = await system.webhook(customerNumber, newSessionId());
    }
    return response;
  }

  async function timedWebhook(customerNumber: string, sessionId: string) {
    const started = Date.now();
    const response = await system.webhook(customerNumber, sessionId);
    return { response, elapsed: Date.now() - started };
  }

  it('stopped for 5 s under load: answers 503 within 2 s meanwhile, reconnects by itself, and every stored session ends with one callback', async () => {
    const devices: EnrolledDevice[] = [];
    for (let i = 0; i < 4; i++) devices.push(await system.enrollDevice({ push: false }));
    // The cardholder declines every other session at once, retrying while Redis is
    // away as the app would; the rest are left to time out.
    const declined = new Map<string, number>();
    const load = new SteadyWebhooks(system, devices, 20, async (webhook: SentWebhook) => {
      if (load.sent.indexOf(webhook) % 2) return;
      for (let tries = 0; tries < 100; tries++) {
        const answer = await system.decline(webhook.device, webhook.sessionId);
        // A 503 can come after Redis ran the command (the API's 1 s command timeout on
        // a slow machine): the retry then finds the session already DECLINED, by us.
        const earlierAttemptLanded = tries > 0 && answer.status === 409 && answer.body.errorReason === 'DECLINED';
        if (answer.status !== 503) return declined.set(webhook.sessionId, earlierAttemptLanded ? 200 : answer.status);
        await sleep(200);
      }
    }).start();

    await sleep(3000);
    await redis.kill();
    const downAt = Date.now();
    await system.http().get('/health/ready').expect(503);
    await sleep(5000);
    await redis.restart();
    const upAt = Date.now();
    await sleep(5000);
    await load.stop();

    // No answer took longer than Enfuce's 2 s, none was lost, and none was other than 200 or 503.
    const answers = tally(load.sent, (webhook) => webhook.status ?? webhook.error);
    expect(load.sent.filter((webhook) => webhook.status === undefined || webhook.elapsedMs! >= 2000)).toEqual([]);
    expect(Object.keys(answers).sort()).toEqual(['200', '503']);
    const refused = load.sent.filter((webhook) => webhook.status === 503);
    expect(refused.every((webhook) => webhook.sentAt >= downAt - 500)).toBe(true);
    // Both processes reconnected by themselves: webhooks are taken again soon after Redis is back.
    const firstAfter = load.sent.find((webhook) => webhook.sentAt > upAt && webhook.status === 200)!;
    expect(firstAfter.sentAt - upAt).toBeLessThan(3000);
    expect(load.sent.filter((webhook) => webhook.sentAt > firstAfter.sentAt).every((webhook) => webhook.status === 200)).toBe(true);
    await system.http().get('/health/ready').expect(200);

    // Every session that got its 200 ends with exactly one callback: FAIL when the
    // decline was taken, TIMEOUT otherwise, including the sessions stored before the stop.
    const accepted = load.accepted();
    for (const webhook of accepted) {
      const callback = await system.enfuce.waitForCallback(webhook.sessionId, (AUTH_TIMEOUT_SECONDS + 20) * 1000);
      expect(callback.result).toBe(declined.get(webhook.sessionId) === 200 ? 'FAIL' : 'TIMEOUT');
    }
    await sleep(1000);
    const deliveries = tally(accepted, (webhook) => system.enfuce.callbacksFor(webhook.sessionId).length);
    expect(deliveries).toEqual({ 1: accepted.length });
    console.log(
      `Redis stopped 5 s under load: ${load.sent.length} webhooks (${JSON.stringify(answers)}), slowest answer ${Math.max(...load.sent.map((w) => w.elapsedMs!))} ms, ` +
        `first 200 ${firstAfter.sentAt - upAt} ms after Redis was back; ${accepted.length} sessions stored, callbacks per session ${JSON.stringify(deliveries)}, ` +
        `results ${JSON.stringify(tally(accepted, (w) => system.enfuce.callbacksFor(w.sessionId)[0].result))}`,
    );
  }, 120_000);

  it('answers 503 within the 2 s budget when Redis hangs instead of refusing', async () => {
    const device = await system.enrollDevice({ push: false });
    redis.pause();
    try {
      const hung = await timedWebhook(device.customerNumber, newSessionId());
      expect(hung.response.status).toBe(503);
      expect(hung.elapsed).toBeLessThan(2000);
    } finally {
      redis.resume();
    }
    const after = await webhookUntilAccepted(device.customerNumber);
    expect(after.status).toBe(200);
  });

  it('rebuilds the device index when Redis comes back empty, so webhooks do not answer 404', async () => {
    const device = await system.enrollDevice({ push: false });
    await redis.kill();
    await redis.wipe();
    await redis.restart();
    const after = await webhookUntilAccepted(device.customerNumber);
    expect(after.status).toBe(200);
  });
});
