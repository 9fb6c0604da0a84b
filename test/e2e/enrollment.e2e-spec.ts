import { useAssentUnderTest, ISSUER_CREDENTIALS, newCustomerNumber } from '../support/assent-under-test';
import { SoftAuthenticator } from '../../apps/sandbox/src/cardholder/soft-authenticator';

describe('enrollment: activation codes and devices', () => {
  const system = useAssentUnderTest();

  it('gives the issuer a single-use activation link that expires in 15 minutes by default', async () => {
    const customerNumber = newCustomerNumber();
    const before = Date.now();
    const response = await system
      .http()
      .post('/api/v1/enrollments')
      .auth(ISSUER_CREDENTIALS.username, ISSUER_CREDENTIALS.password)
      .send({ customerNumber, displayName: 'Maria' })
      .expect(201);
    expect(response.body).toEqual({ activationCode: expect.stringMatching(/^ac_[A-Za-z0-9_-]{43}$/), activationUrl: expect.any(String), expiresAt: expect.any(String) });
    expect(new URL(response.body.activationUrl).searchParams.get('code')).toBe(response.body.activationCode);
    const lifetime = Date.parse(response.body.expiresAt) - before;
    expect(lifetime).toBeGreaterThan(14.9 * 60 * 1000);
    expect(lifetime).toBeLessThan(15.1 * 60 * 1000);
    const { rows } = await system.db.query('SELECT code_hash FROM enrollments e JOIN cardholders c ON c.id = e.cardholder_id WHERE c.customer_number = $1', [customerNumber]);
    expect(rows).toHaveLength(1);
    expect(rows[0].code_hash).not.toContain(response.body.activationCode.slice(3));
  });

  it('refuses an expired activation code', async () => {
    const customerNumber = newCustomerNumber();
    const activationCode = await system.activationCode(customerNumber);
    await system.db.query(
      `UPDATE enrollments SET expires_at = now() - interval '1 second' WHERE cardholder_id = (SELECT id FROM cardholders WHERE customer_number = $1)`,
      [customerNumber],
    );
    const response = await system.http().post('/api/v1/devices/registration-options').send({ activationCode }).expect(400);
    expect(response.body).toMatchObject({ errorCode: 'ACTIVATION_CODE_INVALID', errorType: 'DYNAMIC_VALIDATION_ERROR', errorReason: '$.activationCode' });
  });

  it('asks for a passkey with user verification, and stores the device token only as a hash', async () => {
    const customerNumber = newCustomerNumber();
    const activationCode = await system.activationCode(customerNumber);
    const options = await system.http().post('/api/v1/devices/registration-options').send({ activationCode }).expect(200);
    expect(options.body).toMatchObject({ rp: { id: 'localhost' }, authenticatorSelection: { userVerification: 'required' }, attestation: 'none' });

    const authenticator = new SoftAuthenticator({ origin: system.apiUrl });
    const registered = await system
      .http()
      .post('/api/v1/devices')
      .send({ activationCode, credential: authenticator.register(options.body), name: 'Work phone' })
      .expect(201);
    expect(registered.body).toEqual({ deviceId: expect.any(String), deviceToken: expect.stringMatching(/^dt_/) });

    const { rows } = await system.db.query('SELECT token_hash, push_status, name FROM devices WHERE id = $1', [registered.body.deviceId]);
    expect(rows[0]).toMatchObject({ push_status: 'none', name: 'Work phone' });
    expect(rows[0].token_hash).not.toBe(registered.body.deviceToken);
    const status = await system.http().get('/api/v1/device').set('authorization', `Bearer ${registered.body.deviceToken}`).expect(200);
    expect(status.body).toMatchObject({ deviceId: registered.body.deviceId, name: 'Work phone', pushStatus: 'none' });
  });

  it('refuses a registration whose passkey was made without user verification', async () => {
    const activationCode = await system.activationCode(newCustomerNumber());
    const options = await system.http().post('/api/v1/devices/registration-options').send({ activationCode }).expect(200);
    const authenticator = new SoftAuthenticator({ origin: system.apiUrl, userVerification: false });
    const response = await system.http().post('/api/v1/devices').send({ activationCode, credential: authenticator.register(options.body) });
    expect(response.status).toBe(403);
    expect(response.body.errorCode).toBe('REGISTRATION_REJECTED');
  });

  it('enrolls at most MAX_DEVICES_PER_CARDHOLDER (3) devices per cardholder', async () => {
    const customerNumber = newCustomerNumber();
    for (let i = 0; i < 3; i++) await system.enrollDevice({ customerNumber, push: false });
    const activationCode = await system.activationCode(customerNumber);
    const options = await system.http().post('/api/v1/devices/registration-options').send({ activationCode }).expect(200);
    const authenticator = new SoftAuthenticator({ origin: system.apiUrl });
    const response = await system.http().post('/api/v1/devices').send({ activationCode, credential: authenticator.register(options.body) });
    expect(response.status).toBe(409);
    expect(response.body.errorCode).toBe('DEVICE_LIMIT_REACHED');
  });

  it('re-enables push for a device whose subscription expired', async () => {
    const device = await system.enrollDevice({ push: false });
    const subscription = system.pushService.createSubscription();
    await system
      .http()
      .put('/api/v1/device/push-subscription')
      .set('authorization', `Bearer ${device.token}`)
      .send({ pushSubscription: { endpoint: subscription.endpoint, keys: subscription.keys } })
      .expect(204);
    const status = await system.http().get('/api/v1/device').set('authorization', `Bearer ${device.token}`).expect(200);
    expect(status.body.pushStatus).toBe('active');
  });

  it('serves the VAPID public key for pushManager.subscribe', async () => {
    const response = await system.http().get('/api/v1/push/vapid-public-key').expect(200);
    expect(response.body).toEqual({ publicKey: system.env.VAPID_PUBLIC_KEY });
  });
});
