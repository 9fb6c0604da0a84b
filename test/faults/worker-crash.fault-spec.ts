import { ENFUCE_DEADLINE_SECONDS } from '@assent/domain';
import { EnrolledDevice, newSessionId, sleep, useAssentUnderTest } from '../support/assent-under-test';
import { tally } from '../support/steady-webhooks';

describe('a worker killed mid-job', () => {
  // Pushes hang for up to 8 s and callbacks for 3 s per attempt before our side gives up,
  // so the kill surely finds them in flight.
  const system = useAssentUnderTest({ authTimeoutSeconds: 60, callbackAttemptTimeoutMs: 3000, pushRequestTimeoutMs: 8000 });

  async function until(condition: () => boolean, what: string, timeoutMs = 10000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await sleep(20);
    }
  }

  it('loses nothing: the restarted worker sends every push and delivers every result exactly once, well before the deadline', async () => {
    // Callbacks in flight: Enfuce takes them and never answers.
    const pollDevice = await system.enrollDevice({ push: false });
    const calling = Array.from({ length: 5 }, () => newSessionId());
    const receivedAt = new Map<string, number>();
    for (const sessionId of calling) {
      receivedAt.set(sessionId, Date.now());
      await system.webhook(pollDevice.customerNumber, sessionId).expect(200);
    }
    system.enfuce.failNext(...calling.map(() => 'hang' as const));
    for (const sessionId of calling) await system.decline(pollDevice, sessionId).expect(200);
    await until(() => system.enfuce.requests >= calling.length, 'the callbacks to be in flight');

    // Pushes in flight: the push service takes them and never answers.
    const pushing: { sessionId: string; device: EnrolledDevice }[] = [];
    for (let i = 0; i < 5; i++) {
      const device = await system.enrollDevice();
      system.pushService.respondWith(device.subscription!.id, 'hang');
      const sessionId = newSessionId();
      receivedAt.set(sessionId, Date.now());
      await system.webhook(device.customerNumber, sessionId).expect(200);
      pushing.push({ sessionId, device });
    }
    await until(() => pushing.every(({ device }) => system.pushService.requestCount(device.subscription!.id) > 0), 'the pushes to be in flight');

    // The worker dies without any chance to clean up; the push service recovers; a new worker starts.
    await system.workers[0].stop('SIGKILL');
    const killedAt = Date.now();
    for (const { device } of pushing) system.pushService.respondWith(device.subscription!.id, { status: 201 });
    await system.startWorker();

    // Each phone answers its push when it finally arrives.
    for (const { sessionId, device } of pushing) {
      await system.pushService.waitForMessages((message) => message.payload.sessionId === sessionId, 1, 30000);
      await system.decline(device, sessionId).expect(200);
    }
    const recoveredAfter: number[] = [];
    for (const sessionId of [...calling, ...pushing.map(({ sessionId }) => sessionId)]) {
      const callback = await system.enfuce.waitForCallback(sessionId, 30000);
      expect(callback.result).toBe('FAIL');
      expect(callback.receivedAt).toBeLessThan(receivedAt.get(sessionId)! + ENFUCE_DEADLINE_SECONDS * 1000);
      recoveredAfter.push(callback.receivedAt - killedAt);
    }
    await sleep(1500);
    const callbacks = tally([...receivedAt.keys()], (sessionId) => system.enfuce.callbacksFor(sessionId).length);
    const pushes = tally(pushing, ({ sessionId }) => system.pushService.messages.filter((message) => message.payload.sessionId === sessionId).length);
    expect(callbacks).toEqual({ 1: receivedAt.size });
    expect(pushes).toEqual({ 1: pushing.length });
    // The killed jobs' bookkeeping is complete too: every summary records the delivery.
    for (const sessionId of receivedAt.keys()) expect((await system.settledSummary(sessionId)).callback_outcome).toBe('delivered');
    // Stalled jobs are found within lockDuration + stalledInterval (5 s + 2 s), not BullMQ's default 30 s + 30 s.
    expect(Math.max(...recoveredAfter.slice(0, calling.length))).toBeLessThan(15000);
    console.log(
      `Worker SIGKILLed with ${calling.length} callbacks and ${pushing.length} pushes in flight: callbacks per session ${JSON.stringify(callbacks)}, ` +
        `pushes per session ${JSON.stringify(pushes)}, results delivered ${Math.min(...recoveredAfter)}–${Math.max(...recoveredAfter)} ms after the kill`,
    );
  }, 90_000);
});
