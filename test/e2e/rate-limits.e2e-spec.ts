import { auditEvents, createAdmin } from '../support/admin';
import { AssentUnderTest, ISSUER_CREDENTIALS, newCustomerNumber, newSessionId, useAssentUnderTest } from '../support/assent-under-test';
import { expectErrorResponse } from '../support/error-response';

describe('rate limits and the per-device lockout', () => {
  const system = useAssentUnderTest({
    extraEnv: {
      RATE_LIMIT_ENROLLMENTS_PER_MINUTE: '3',
      RATE_LIMIT_REGISTRATIONS_PER_MINUTE: '4',
      RATE_LIMIT_DECISIONS_PER_MINUTE: '3',
      RATE_LIMIT_ADMIN_SIGN_INS_PER_MINUTE: '3',
      DEVICE_LOCKOUT_THRESHOLD: '2',
    },
  });

  async function expectTooMany(response: Parameters<typeof expectErrorResponse>[1], errorCode: string) {
    await expectErrorResponse(system, response, 429, { errorType: 'SECURITY_ERROR', errorCode });
    expect(Number(response.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(response.headers['retry-after'])).toBeLessThanOrEqual(60 * 15);
  }

  it('answers 429 with Retry-After to the enrollment after the limit for one customer number', async () => {
    const customerNumber = newCustomerNumber();
    const enroll = () => system.http().post('/api/v1/enrollments').auth(ISSUER_CREDENTIALS.username, ISSUER_CREDENTIALS.password).send({ customerNumber, displayName: 'Maria' });
    for (let i = 0; i < 3; i++) await enroll().expect(201);
    await expectTooMany(await enroll(), 'RATE_LIMITED');
    // Another cardholder is not held back by this one.
    await system.http().post('/api/v1/enrollments').auth(ISSUER_CREDENTIALS.username, ISSUER_CREDENTIALS.password).send({ customerNumber: newCustomerNumber(), displayName: 'Ana' }).expect(201);
  });

  it('limits admin sign-ins per client IP, across accounts, before the password is checked', async () => {
    const admin = await createAdmin('viewer');
    for (let i = 0; i < 3; i++) await system.http().post('/api/v1/admin/sign-in').send({ email: `nobody-${i}@bank.test`, password: 'guess' }).expect(401);
    await expectTooMany(await system.http().post('/api/v1/admin/sign-in').send({ email: admin.email, password: admin.password }), 'RATE_LIMITED');
  });

  it('limits device registration attempts per client IP', async () => {
    // Guessing activation codes: each wrong guess counts.
    for (let i = 0; i < 4; i++) await system.http().post('/api/v1/devices/registration-options').send({ activationCode: `ac_${'x'.repeat(43)}` }).expect(400);
    await expectTooMany(await system.http().post('/api/v1/devices/registration-options').send({ activationCode: `ac_${'x'.repeat(43)}` }), 'RATE_LIMITED');
  });
});

describe('decision limits per device', () => {
  const system = useAssentUnderTest({ extraEnv: { RATE_LIMIT_DECISIONS_PER_MINUTE: '3', DEVICE_LOCKOUT_THRESHOLD: '2' } });

  async function forgedApproval(target: AssentUnderTest, device: Awaited<ReturnType<AssentUnderTest['enrollDevice']>>, sessionId: string) {
    const options = await target.http().post(`/api/v1/device/challenges/${sessionId}/assertion-options`).set('authorization', `Bearer ${device.token}`).expect(200);
    const credential = device.authenticator.assert(options.body);
    // A signature over something else: what an attacker with the token but not the passkey can offer.
    credential.response.signature = Buffer.from('forged signature bytes').toString('base64url');
    return target.http().post(`/api/v1/device/challenges/${sessionId}/decision`).set('authorization', `Bearer ${device.token}`).send({ decision: 'approve', credential });
  }

  it('locks a device out after repeated failed assertions, audits it, and keeps it out even with a good one', async () => {
    const device = await system.enrollDevice({ push: false });
    const sessionId = newSessionId();
    await system.webhook(device.customerNumber, sessionId).expect(200);
    expect((await forgedApproval(system, device, sessionId)).status).toBe(403);
    expect((await forgedApproval(system, device, sessionId)).status).toBe(403);
    const locked = await system.approve(device, sessionId);
    await expectErrorResponse(system, locked, 429, { errorType: 'SECURITY_ERROR', errorCode: 'DEVICE_LOCKED_OUT' });
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(60);

    const deadline = Date.now() + 5000;
    let events = await auditEvents(system, 'device.locked_out', { deviceId: device.deviceId });
    while (events.length === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      events = await auditEvents(system, 'device.locked_out', { deviceId: device.deviceId });
    }
    expect(events).toHaveLength(1);
    expect(events[0].details).toMatchObject({ failedAssertions: 2 });
  });

  it('answers 429 to a device deciding more often than the limit', async () => {
    const device = await system.enrollDevice({ push: false });
    for (let i = 0; i < 3; i++) await system.decline(device, newSessionId()).expect(404);
    const limited = await system.decline(device, newSessionId());
    await expectErrorResponse(system, limited, 429, { errorType: 'SECURITY_ERROR', errorCode: 'RATE_LIMITED' });
    // Another device is not held back by this one.
    const other = await system.enrollDevice({ push: false });
    await system.decline(other, newSessionId()).expect(404);
  });
});
