import { newSessionId, useAssentUnderTest } from '../support/assent-under-test';
import { ThrowawayRedis } from '../support/throwaway-redis';

describe('Redis unavailable', () => {
  let redis: ThrowawayRedis;
  beforeAll(async () => {
    redis = await ThrowawayRedis.start();
  });
  const system = useAssentUnderTest(() => ({ redisUrl: redis.url, authTimeoutSeconds: 60 }));
  afterAll(async () => {
    await redis?.stop();
  });

  /** Redis reconnects in the background; Enfuce would retry until we answer 200. */
  async function webhookUntilAccepted(customerNumber: string) {
    const deadline = Date.now() + 10000;
    let response = await system.webhook(customerNumber, newSessionId());
    while (response.status !== 200 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      response = await system.webhook(customerNumber, newSessionId());
    }
    return response;
  }

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
    const recovered = await webhookUntilAccepted(device.customerNumber);
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
