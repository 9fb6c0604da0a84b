import { useAssentUnderTest, newSessionId } from '../support/assent-under-test';

describe('a worker stopping mid-job', () => {
  const system = useAssentUnderTest({ authTimeoutSeconds: 60, callbackAttemptTimeoutMs: 3000 });

  it('loses nothing: another worker delivers every result exactly once, well before the deadline', async () => {
    const device = await system.enrollDevice({ push: false });
    const sessionIds = Array.from({ length: 5 }, () => newSessionId());
    const sentAt = Date.now();
    for (const sessionId of sessionIds) await system.webhook(device.customerNumber, sessionId).expect(200);

    // Enfuce takes the callbacks but never answers, so every callback job is in flight...
    system.enfuce.failNext(...sessionIds.map(() => 'hang' as const));
    for (const sessionId of sessionIds) await system.decline(device, sessionId).expect(200);
    const deadline = Date.now() + 10000;
    while (system.enfuce.requests < sessionIds.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(system.enfuce.requests).toBe(sessionIds.length);

    // ...when the worker dies without any chance to clean up.
    await system.workers[0].stop('SIGKILL');
    await system.startWorker();

    for (const sessionId of sessionIds) {
      const callback = await system.enfuce.waitForCallback(sessionId, 30000);
      expect(callback.result).toBe('FAIL');
      expect(callback.receivedAt - sentAt).toBeLessThan(30000);
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
    for (const sessionId of sessionIds) expect(system.enfuce.callbacksFor(sessionId)).toHaveLength(1);
  });

  it('finishes the job in hand on SIGTERM before exiting, so the result is delivered once', async () => {
    const device = await system.enrollDevice({ push: false });
    const sessionId = newSessionId();
    await system.webhook(device.customerNumber, sessionId).expect(200);
    system.enfuce.failNext({ delayMs: 1500 });
    const requestsBefore = system.enfuce.requests;
    await system.decline(device, sessionId).expect(200);
    while (system.enfuce.requests === requestsBefore) await new Promise((r) => setTimeout(r, 20));

    const worker = system.workers[system.workers.length - 1];
    expect(await worker.stop('SIGTERM')).toBe(0);
    expect(system.enfuce.callbacksFor(sessionId)).toHaveLength(1);

    await system.startWorker();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(system.enfuce.callbacksFor(sessionId)).toHaveLength(1);
  });
});
