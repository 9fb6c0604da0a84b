import { useAssentUnderTest, newSessionId } from '../support/assent-under-test';
import { ServiceProcess } from '../support/processes';

describe('starting the processes', () => {
  const system = useAssentUnderTest();

  it.each(['api', 'worker'] as const)('stops the %s at once with a message naming a missing or bad variable', async (app) => {
    const { DATABASE_URL: _missing, ...withoutDatabase } = system.env;
    const missing = ServiceProcess.start(app, withoutDatabase);
    expect(await missing.waitForExit()).toBe(1);
    expect(missing.logs).toContain('DATABASE_URL is required');

    const bad = ServiceProcess.start(app, { ...system.env, AUTH_TIMEOUT_SECONDS: '146' });
    expect(await bad.waitForExit()).toBe(1);
    expect(bad.logs).toContain('AUTH_TIMEOUT_SECONDS');
  });

  it('rebuilds the device index from Postgres when the API starts, so webhooks find devices Redis forgot', async () => {
    const device = await system.enrollDevice({ push: false });
    await system.redis.del(system.keys.devices(device.customerNumber));
    await system.webhook(device.customerNumber, newSessionId()).expect(404);

    await system.api.stop();
    system.api = ServiceProcess.start('api', system.env);
    await system.api.waitUntilReady(`${system.apiUrl}/health/ready`);

    await system.webhook(device.customerNumber, newSessionId()).expect(200);
  });

  it('answers liveness and readiness as the contract says', async () => {
    await system.http().get('/health/live').expect(200);
    const ready = await system.http().get('/health/ready').expect(200);
    expect(ready.body).toEqual({ ready: true, checks: { redis: 'up', postgres: 'up' } });
  });
});
