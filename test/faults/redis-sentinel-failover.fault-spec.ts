import { keyTag } from '@assent/queue';
import { EnrolledDevice, sleep, useAssentUnderTest } from '../support/assent-under-test';
import { ThrowawaySentinels } from '../support/redis-failover';
import { SentWebhook, SteadyWebhooks, tally } from '../support/steady-webhooks';

const AUTH_TIMEOUT_SECONDS = 15;

describe('Redis Sentinel: the primary fails', () => {
  let redis: ThrowawaySentinels;
  beforeAll(async () => {
    redis = await ThrowawaySentinels.start();
  }, 60_000);
  const system = useAssentUnderTest(() => ({ redisDeployment: redis.env, authTimeoutSeconds: AUTH_TIMEOUT_SECONDS }));
  afterAll(async () => {
    await redis?.stop();
  });

  // The cardholder approves every other session at once, retrying while the API
  // answers 503 as the app would; the rest are left to time out.
  const decisions = new Map<string, number>();
  const approveEveryOther = (load: () => SteadyWebhooks) => async (webhook: SentWebhook) => {
    if (load().sent.indexOf(webhook) % 2) return;
    for (let tries = 0; tries < 100; tries++) {
      const answer = await system.approve(webhook.device, webhook.sessionId);
      if (answer.status !== 503) return decisions.set(webhook.sessionId, answer.status);
      await sleep(200);
    }
  };

  /** Enfuce retries a webhook that was not answered 200; so does this, for up to 10 s. */
  async function resendUntilAccepted(webhook: SentWebhook): Promise<void> {
    const deadline = Date.now() + 10_000;
    while ((await system.webhook(webhook.device.customerNumber, webhook.sessionId).timeout(5000)).status !== 200) {
      if (Date.now() > deadline) throw new Error(`webhook for ${webhook.sessionId} not accepted within 10 s`);
      await sleep(200);
    }
  }

  it('SIGKILLed with sessions in flight: the replica is promoted, webhooks answer 503 fast meanwhile, API and worker follow by themselves, every session ends once', async () => {
    const devices: EnrolledDevice[] = [];
    for (let i = 0; i < 4; i++) devices.push(await system.enrollDevice({ push: false }));

    // Before: 3 s of webhooks, half approved; the other half are still pending at the kill.
    const before: SteadyWebhooks = new SteadyWebhooks(system, devices, 10, approveEveryOther(() => before)).start();
    await sleep(3000);
    await before.stop();
    expect(before.accepted()).toHaveLength(before.sent.length);
    for (const [sessionId, status] of decisions) if (status === 200) await system.enfuce.waitForCallback(sessionId);

    // Replication is asynchronous: a write acknowledged in the last milliseconds before
    // a crash may not have reached the replica. WAIT until it has everything so far,
    // so that what this test claims does not depend on that race (docs/reliability.md).
    await system.redis.set(`${keyTag(system.prefix)}:test:fence`, Date.now());
    expect(await system.redis.wait(1, 2000)).toBe(1);
    expect(await redis.primaryPort()).toBe(redis.primary.port);
    await redis.primary.kill();
    const killedAt = Date.now();

    // After: webhooks at the same pace from the moment of the kill, through the failover and beyond.
    const after: SteadyWebhooks = new SteadyWebhooks(system, devices, 10, approveEveryOther(() => after)).start();
    const promotedMs = await redis.waitForPromotion();
    await sleep(Math.max(0, killedAt + 8000 - Date.now()));
    await after.stop();
    // Enfuce retries what was not accepted; those sessions then time out.
    const refused = after.sent.filter((webhook) => webhook.status !== 200);
    for (const webhook of refused) await resendUntilAccepted(webhook);

    // Never a hang: every answer within Enfuce's 2 s, 503 while there was no primary, 200 once there was again.
    const answers = tally(after.sent, (webhook) => webhook.status ?? webhook.error);
    expect(after.sent.filter((webhook) => webhook.status === undefined || webhook.elapsedMs! >= 2000)).toEqual([]);
    expect(Object.keys(answers).sort()).toEqual(['200', '503']);
    const firstAccepted = after.sent.find((webhook) => webhook.status === 200)!;
    expect(after.sent.filter((webhook) => webhook.sentAt > firstAccepted.sentAt).every((webhook) => webhook.status === 200)).toBe(true);
    expect(firstAccepted.sentAt - killedAt).toBeLessThan(promotedMs + 3000);
    await system.http().get('/health/ready').expect(200);

    // Every session ends with exactly one callback, the ones pending at the kill included:
    // SUCCESS where the approval was taken, TIMEOUT otherwise.
    const sessions = [...before.accepted(), ...after.sent];
    for (const webhook of sessions) {
      const callback = await system.enfuce.waitForCallback(webhook.sessionId, (AUTH_TIMEOUT_SECONDS + 20) * 1000);
      expect(callback.result).toBe(decisions.get(webhook.sessionId) === 200 ? 'SUCCESS' : 'TIMEOUT');
    }
    await sleep(1000);
    const deliveries = tally(sessions, (webhook) => system.enfuce.callbacksFor(webhook.sessionId).length);
    expect(deliveries).toEqual({ 1: sessions.length });
    console.log(
      `Redis Sentinel, primary SIGKILLed: replica promoted ${promotedMs} ms after the kill; ${after.sent.length} webhooks from the kill on ` +
        `(${JSON.stringify(answers)}), slowest answer ${Math.max(...after.sent.map((w) => w.elapsedMs!))} ms, first 200 ${firstAccepted.sentAt - killedAt} ms after the kill, ` +
        `${refused.length} refused ones resent and accepted; ${sessions.length} sessions (${before.accepted().length} stored before the kill), ` +
        `callbacks per session ${JSON.stringify(deliveries)}, results ${JSON.stringify(tally(sessions, (w) => system.enfuce.callbacksFor(w.sessionId)[0].result))}`,
    );
  }, 90_000);
});
