import { AssentUnderTest, newSessionId } from '../support/assent-under-test';
import { ThrowawayRedis } from '../support/throwaway-redis';

describe('Redis unavailable', () => {
  let redis: ThrowawayRedis;
  let system: AssentUnderTest;

  beforeAll(async () => {
    redis = await ThrowawayRedis.start();
    system = await AssentUnderTest.start({ redisUrl: redis.url, authTimeoutSeconds: 60 });
  });
  afterAll(async () => {
    await system?.stop();
    await redis?.stop();
  });
  afterEach(() => {
    const state = expect.getState();
    if (state.assertionCalls !== state.numPassingAsserts) console.log(system.dumpLogs().slice(-20000));
  });

  async function timedWebhook(customerNumber: string, sessionId: string) {
    const started = Date.now();
    const response = await system.webhook(customerNumber, sessionId);
    return { response, elapsed: Date.now() - started };
  }

  it('answers 503 within the 2 s budget while Redis is down, and recovers by itself when it returns', async () => {
    const device = await system.enrollDevice({ push: false });
    const storedBefore = newSessionId();
    await system.webhook(device.customerNumber, storedBefore).expect(200);

    await redis.kill();
    const down = await timedWebhook(device.customerNumber, newSessionId());
    expect(down.response.status).toBe(503);
    expect(down.response.body).toMatchObject({ code: '503', errorType: 'INTEGRATION_ERROR', errorCode: 'STORE_UNAVAILABLE' });
    expect(down.elapsed).toBeLessThan(2000);
    await system.http().get('/health/ready').expect(503);

    await redis.restart();
    const deadline = Date.now() + 10000;
    let recovered = await system.webhook(device.customerNumber, newSessionId());
    while (recovered.status !== 200 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      recovered = await system.webhook(device.customerNumber, newSessionId());
    }
    expect(recovered.status).toBe(200);
    await system.http().get('/health/ready').expect(200);

    // The session stored before the outage still completes, through the reconnected worker.
    await system.decline(device, storedBefore).expect(200);
    expect((await system.enfuce.waitForCallback(storedBefore, 15000)).result).toBe('FAIL');
  });

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
    const deadline = Date.now() + 10000;
    let after = await system.webhook(device.customerNumber, newSessionId());
    while (after.status !== 200 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      after = await system.webhook(device.customerNumber, newSessionId());
    }
    expect(after.status).toBe(200);
  });

  it('rebuilds the device index when Redis comes back empty, so webhooks do not answer 404', async () => {
    const device = await system.enrollDevice({ push: false });
    await redis.kill();
    await redis.wipe();
    await redis.restart();
    const deadline = Date.now() + 10000;
    let after = await system.webhook(device.customerNumber, newSessionId());
    while (after.status !== 200 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      after = await system.webhook(device.customerNumber, newSessionId());
    }
    expect(after.status).toBe(200);
  });
});
