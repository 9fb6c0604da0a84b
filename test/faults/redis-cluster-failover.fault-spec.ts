import { Cluster } from 'ioredis';
import { keyTag } from '@assent/queue';
import { AdminClient, LiveStream } from '../support/admin';
import { EnrolledDevice, newSessionId, sleep, useAssentUnderTest } from '../support/assent-under-test';
import { ThrowawayCluster } from '../support/redis-failover';
import { tally } from '../support/steady-webhooks';

const AUTH_TIMEOUT_SECONDS = 8;

describe('Redis Cluster: the primary serving Assent’s slot fails', () => {
  let cluster: ThrowawayCluster;
  beforeAll(async () => {
    cluster = await ThrowawayCluster.start();
  }, 60_000);
  const system = useAssentUnderTest(() => ({ redisDeployment: cluster.env, authTimeoutSeconds: AUTH_TIMEOUT_SECONDS }));
  afterAll(async () => {
    await cluster?.stop();
  });

  async function timedWebhook(device: EnrolledDevice, sessionId: string) {
    const started = Date.now();
    const response = await system.webhook(device.customerNumber, sessionId).timeout(5000);
    return { status: response.status, elapsed: Date.now() - started };
  }

  /** Enfuce retries a webhook that was not answered 200; so does this, for up to 10 s. */
  async function acceptedWebhook(device: EnrolledDevice, sessionId: string): Promise<number> {
    const deadline = Date.now() + 10_000;
    let tries = 1;
    while ((await timedWebhook(device, sessionId)).status !== 200) {
      if (Date.now() > deadline) throw new Error(`webhook for ${sessionId} not accepted within 10 s`);
      tries++;
      await sleep(200);
    }
    return tries;
  }

  async function pushed(device: EnrolledDevice, sessionId: string): Promise<void> {
    await system.pushService.waitForMessages((message) => message.subscriptionId === device.subscription!.id && message.payload.sessionId === sessionId);
  }

  async function expectResult(sessionId: string, result: 'SUCCESS' | 'TIMEOUT'): Promise<void> {
    const callback = await system.enfuce.waitForCallback(sessionId, (AUTH_TIMEOUT_SECONDS + 10) * 1000);
    expect(callback.result).toBe(result);
  }

  it('webhook → push → approval → SUCCESS, and TIMEOUT, before and after the failover, with the sessions in flight finished once', async () => {
    const device = await system.enrollDevice();
    // The dashboard's live feed: a subscriber of its own on the Cluster, fed by PUBLISH inside the session scripts.
    const live = await LiveStream.open(await AdminClient.as(system, 'viewer'));
    const run = async (approve: boolean) => {
      const sessionId = newSessionId();
      await acceptedWebhook(device, sessionId);
      await pushed(device, sessionId);
      if (approve) expect((await system.approve(device, sessionId)).status).toBe(200);
      return sessionId;
    };

    // The whole flow works on the Cluster: Lua scripts, the settle MULTI and BullMQ all in one slot.
    const approvedBefore = await run(true);
    const ignoredBefore = await run(false);
    await expectResult(approvedBefore, 'SUCCESS');
    await expectResult(ignoredBefore, 'TIMEOUT');

    // Two sessions in flight across the failover: one to approve after it, one left to time out.
    const approvedAcross = newSessionId();
    const ignoredAcross = newSessionId();
    for (const sessionId of [approvedAcross, ignoredAcross]) {
      await acceptedWebhook(device, sessionId);
      await pushed(device, sessionId);
    }

    // Replication is asynchronous: WAIT until the replica has every write so far, so
    // that what the test claims about these sessions does not depend on the race.
    const slot = Number(await system.redis.cluster('KEYSLOT', keyTag(system.prefix)));
    const { primary } = await cluster.serving(slot);
    const primaryClient = (system.redis as Cluster).nodes('master').find((node) => node.options.port === primary.port)!;
    await primaryClient.set(`${keyTag(system.prefix)}:test:fence`, Date.now());
    expect(await primaryClient.wait(1, 2000)).toBe(1);
    await primary.kill();
    const killedAt = Date.now();

    // While the slot has no primary the webhook answers 503, fast.
    const whileDown = await timedWebhook(device, newSessionId());
    expect(whileDown.status).toBe(503);
    expect(whileDown.elapsed).toBeLessThan(2000);
    await cluster.waitForFailover(slot, primary);
    const promotedMs = Date.now() - killedAt;

    // The API and the worker found the new primary by themselves: the flow works again...
    const firstAfterTries = await acceptedWebhook(device, newSessionId());
    const acceptedAgainMs = Date.now() - killedAt;
    const approvedAfter = await run(true);
    const ignoredAfter = await run(false);
    // ...and the sessions stored before the failover finish on the promoted replica.
    expect((await system.approve(device, approvedAcross)).status).toBe(200);

    await expectResult(approvedAcross, 'SUCCESS');
    await expectResult(approvedAfter, 'SUCCESS');
    await expectResult(ignoredAcross, 'TIMEOUT');
    await expectResult(ignoredAfter, 'TIMEOUT');

    // Nothing went out twice: one push and one callback per session.
    await sleep(1000);
    const sessions = [approvedBefore, ignoredBefore, approvedAcross, ignoredAcross, approvedAfter, ignoredAfter];
    const callbacks = tally(sessions, (sessionId) => system.enfuce.callbacksFor(sessionId).length);
    const pushes = tally(sessions, (sessionId) => system.pushService.messages.filter((message) => message.payload.sessionId === sessionId).length);
    expect(callbacks).toEqual({ 1: sessions.length });
    expect(pushes).toEqual({ 1: sessions.length });
    // The dashboard's live feed saw each change of a session before and after the failover.
    live.close();
    for (const sessionId of [approvedBefore, approvedAfter]) {
      expect(live.of(sessionId).map((event) => event.type)).toEqual(['session.received', 'session.settled', 'callback.settled']);
    }
    console.log(
      `Redis Cluster, primary of slot ${slot} SIGKILLed: webhook answered ${whileDown.status} in ${whileDown.elapsed} ms while down; ` +
        `its replica promoted (every live node agreeing) ${promotedMs} ms after the kill; webhooks accepted again ${acceptedAgainMs} ms after the kill (try ${firstAfterTries}); ` +
        `${sessions.length} sessions, callbacks per session ${JSON.stringify(callbacks)}, pushes per session ${JSON.stringify(pushes)}`,
    );
  }, 90_000);
});
