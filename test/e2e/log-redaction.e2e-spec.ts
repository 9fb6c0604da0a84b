import { AdminClient, createAdmin } from '../support/admin';
import { ISSUER_CREDENTIALS, WEBHOOK_CREDENTIALS, newCustomerNumber, newSessionId, useAssentUnderTest } from '../support/assent-under-test';

/**
 * Drives the real processes with requests that carry every kind of secret, in the
 * places they really travel (headers, bodies, query strings, broken JSON), and
 * then reads everything the API and the worker wrote: none of it may be there.
 */
describe('log redaction: no secret reaches the log', () => {
  const system = useAssentUnderTest();
  const FULL_CARD_NUMBER = '4111111111111111';

  it('logs none of the card numbers, device tokens, passwords, activation codes or keys the requests carried', async () => {
    const secrets: string[] = [system.env.VAPID_PRIVATE_KEY, system.env.ENFUCE_WEBHOOK_PASSWORD, system.env.ISSUER_API_PASSWORD, system.env.APPROVAL_TOKEN_SECRET];

    const customerNumber = newCustomerNumber();
    const activationCode = await system.activationCode(customerNumber);
    secrets.push(activationCode);
    // The activation link lands on the app with the code in its query string.
    await system.http().get(`/app/activate?code=${activationCode}`);
    // Broken JSON, whose parser error would quote the text around the code.
    await system.http().post('/api/v1/devices/registration-options').set('content-type', 'application/json').send(`{"activationCode": "${activationCode}",`).expect(400);

    const device = await system.enrollDevice({ customerNumber: newCustomerNumber() });
    secrets.push(device.token);
    await system.http().get('/api/v1/device').set('authorization', `Bearer ${device.token}`).expect(200);
    await system.http().get(`/api/v1/device/challenges?token=${device.token}`).set('authorization', `Bearer ${device.token}`);
    await system.decline(device, newSessionId()).expect(404);

    // A full card number where Enfuce sends a masked one, on a good and on a refused webhook.
    const sessionId = newSessionId();
    const body = system.webhookBody(device.customerNumber, sessionId);
    (body.transaction as Record<string, unknown>).cardNumber = FULL_CARD_NUMBER;
    await system.webhook(device.customerNumber, sessionId, body).expect(200);
    await system.webhook(device.customerNumber, newSessionId(), { ...body, callbackUrl: `https://elsewhere.test/${FULL_CARD_NUMBER}` }).expect(400);
    await system.http().post(`/v1/authenticate/${device.customerNumber}/${newSessionId()}`).auth(WEBHOOK_CREDENTIALS.username, 'wrong-password-123').send(body).expect(401);
    secrets.push('wrong-password-123');
    await system.pushService.waitForMessages((message) => message.payload.sessionId === sessionId);
    await system.decline(device, sessionId).expect(200);
    await system.enfuce.waitForCallback(sessionId);

    await system.http().post('/api/v1/enrollments').auth(ISSUER_CREDENTIALS.username, ISSUER_CREDENTIALS.password).send({ customerNumber: FULL_CARD_NUMBER, displayName: 'Card as customer number' });

    const admin = await createAdmin('viewer');
    secrets.push(admin.password, 'not-the-password-1');
    await system.http().post('/api/v1/admin/sign-in').send({ email: admin.email, password: 'not-the-password-1' }).expect(401);
    const client = await AdminClient.signIn(system, admin);
    secrets.push(client.cookie.split('=')[1]);

    await new Promise((resolve) => setTimeout(resolve, 500));
    const logs = system.dumpLogs();
    // The requests were logged (so the scan below reads something), with their secrets blanked.
    expect(logs).toContain('/app/activate?code=ac_[redacted]');
    expect(logs).toContain('/api/v1/device/challenges?token=dt_[redacted]');
    expect(logs).toContain(sessionId);
    for (const secret of secrets) expect({ secret, found: logs.includes(secret) }).toEqual({ secret, found: false });
    expect(logs).not.toContain(FULL_CARD_NUMBER);
  });
});
