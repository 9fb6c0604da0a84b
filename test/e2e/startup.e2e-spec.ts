import { useAssentUnderTest, newSessionId } from '../support/assent-under-test';
import { freePort, ServiceProcess } from '../support/processes';

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

  it('rebuilds the device index from Postgres when the API starts on a Redis that lost it', async () => {
    const device = await system.enrollDevice({ push: false });
    // What a Redis restarted without persistence looks like to the index: its keys and its marker gone.
    await system.redis.del(system.keys.devices(device.customerNumber), system.keys.deviceIndexBuilt());
    await system.webhook(device.customerNumber, newSessionId()).expect(404);

    await system.api.stop();
    system.api = ServiceProcess.start('api', system.env);
    await system.api.waitUntilReady(`${system.apiUrl}/health/ready`);

    await system.webhook(device.customerNumber, newSessionId()).expect(200);
  });

  it('leaves an index that is there alone when another API starts, so no enrollment made meanwhile is undone', async () => {
    const device = await system.enrollDevice({ push: false });
    // A device the index has and Postgres does not yet show: what a snapshot rebuild would undo.
    const enrolledMeanwhile = newSessionId();
    await system.redis.sadd(system.keys.devices(device.customerNumber), enrolledMeanwhile);

    const port = await freePort();
    const second = ServiceProcess.start('api', { ...system.env, PORT: String(port) });
    try {
      await second.waitUntilReady(`http://localhost:${port}/health/ready`);
      expect(second.logs).not.toContain('Device index rebuilt');
      expect(await system.redis.smembers(system.keys.devices(device.customerNumber))).toContain(enrolledMeanwhile);
    } finally {
      await second.stop();
    }
  });

  it('answers liveness and readiness as the contract says', async () => {
    await system.http().get('/health/live').expect(200);
    const ready = await system.http().get('/health/ready').expect(200);
    expect(ready.body).toEqual({ ready: true, checks: { redis: 'up', postgres: 'up' } });
  });
});
