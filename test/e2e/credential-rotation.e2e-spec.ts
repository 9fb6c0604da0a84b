import { ISSUER_CREDENTIALS, WEBHOOK_CREDENTIALS, newCustomerNumber, newSessionId, useAssentUnderTest } from '../support/assent-under-test';

const OLD_WEBHOOK = { username: 'enfuce-old', password: 'old-webhook-password' };
const OLD_ISSUER = { username: 'issuer-old', password: 'old-issuer-password' };

describe('credential rotation without downtime', () => {
  const system = useAssentUnderTest({
    extraEnv: {
      ENFUCE_WEBHOOK_PREVIOUS_USERNAME: OLD_WEBHOOK.username,
      ENFUCE_WEBHOOK_PREVIOUS_PASSWORD: OLD_WEBHOOK.password,
      ISSUER_API_PREVIOUS_USERNAME: OLD_ISSUER.username,
      ISSUER_API_PREVIOUS_PASSWORD: OLD_ISSUER.password,
    },
  });

  function webhookAs(credentials: { username: string; password: string }, customerNumber: string) {
    const sessionId = newSessionId();
    return system.http().post(`/v1/authenticate/${customerNumber}/${sessionId}`).auth(credentials.username, credentials.password).send(system.webhookBody(customerNumber, sessionId));
  }

  it('accepts Enfuce’s webhook with the previous and with the current credentials while Enfuce switches', async () => {
    const device = await system.enrollDevice({ push: false });
    await webhookAs(OLD_WEBHOOK, device.customerNumber).expect(200);
    await webhookAs(WEBHOOK_CREDENTIALS, device.customerNumber).expect(200);
  });

  it('refuses a webhook that mixes the old user with the new password', async () => {
    const device = await system.enrollDevice({ push: false });
    const response = await webhookAs({ username: OLD_WEBHOOK.username, password: WEBHOOK_CREDENTIALS.password }, device.customerNumber);
    expect(response.status).toBe(401);
    expect(response.body.errorCode).toBe('INVALID_CREDENTIALS');
  });

  it('accepts the issuer API with the previous and with the current credentials', async () => {
    for (const credentials of [OLD_ISSUER, ISSUER_CREDENTIALS]) {
      await system.http().post('/api/v1/enrollments').auth(credentials.username, credentials.password).send({ customerNumber: newCustomerNumber(), displayName: 'Maria' }).expect(201);
    }
    await system.http().post('/api/v1/enrollments').auth(OLD_ISSUER.username, 'not-it').send({ customerNumber: newCustomerNumber(), displayName: 'Maria' }).expect(401);
  });
});
