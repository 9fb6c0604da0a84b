/**
 * Every bad request gets a clear errorResponse (contract preamble) and changes nothing:
 * the webhook (§1), the enrollment API (§3) and the device API (§4), driven against the
 * built processes on the real Redis and Postgres.
 */
import { randomBytes } from 'node:crypto';
import type { Response } from 'supertest';
import {
  EnrolledDevice,
  INSTITUTION,
  ISSUER_CREDENTIALS,
  newCustomerNumber,
  newSessionId,
  sleep,
  WEBHOOK_CREDENTIALS,
  useAssentUnderTest,
} from '../support/assent-under-test';
import { SoftAuthenticator } from '../../apps/sandbox/src/cardholder/soft-authenticator';
import { expectErrorResponse as expectErrorResponseOf, ExpectedError } from '../support/error-response';

/** Long enough for a wrongly accepted webhook to have been pushed (pushes take milliseconds here). */
const SETTLE_MS = 400;


describe('bad input: every bad request gets a clear errorResponse and changes nothing', () => {
  const system = useAssentUnderTest({ authTimeoutSeconds: 30 });

  // ---------------------------------------------------------------- helpers

  function expectErrorResponse(response: Response, status: number, fields: ExpectedError): Promise<void> {
    return expectErrorResponseOf(system, response, status, fields);
  }

  async function expect401Basic(response: Response, errorCode?: string): Promise<void> {
    await expectErrorResponse(response, 401, { errorType: 'SECURITY_ERROR', errorCode });
    expect(response.headers['www-authenticate']).toMatch(/^Basic\b/);
  }

  async function expect401Bearer(response: Response): Promise<void> {
    await expectErrorResponse(response, 401, { errorType: 'SECURITY_ERROR', errorCode: 'INVALID_DEVICE_TOKEN' });
    expect(response.headers['www-authenticate']).toMatch(/^Bearer\b/);
  }

  /** The audit row the API writes in the background for the request that answered `response`. */
  async function auditRowFor(type: string, response: Response, timeoutMs = 3000): Promise<Record<string, any>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { rows } = await system.db.query(
        'SELECT type, customer_number, session_id, device_id, request_id, details FROM audit_events WHERE type = $1 AND request_id = $2',
        [type, response.body.id],
      );
      if (rows[0]) return rows[0];
      if (Date.now() > deadline) throw new Error(`No ${type} audit event for request ${response.body.id} within ${timeoutMs} ms`);
      await sleep(50);
    }
  }

  /** A rejected webhook left no session, no pending entry, no push and no callback behind. */
  async function expectWebhookChangedNothing(customerNumber: string, sessionId: string, device?: EnrolledDevice): Promise<void> {
    await sleep(SETTLE_MS);
    expect(await system.redis.exists(system.keys.session(sessionId))).toBe(0);
    expect(await system.redis.zcard(system.keys.pending(customerNumber))).toBe(0);
    expect(system.pushService.messages.filter((message) => message.payload?.sessionId === sessionId)).toEqual([]);
    if (device?.subscription) expect(system.pushService.requestCount(device.subscription.id)).toBe(0);
    expect(system.enfuce.callbacksFor(sessionId)).toEqual([]);
    const { rows } = await system.db.query('SELECT 1 FROM authentication_sessions WHERE session_id::text = $1', [sessionId]);
    expect(rows).toEqual([]);
  }

  /** A cardholder with an enrolled device, so that a wrongly accepted webhook would be stored and pushed. */
  async function cardholderWithDevice(): Promise<{ device: EnrolledDevice; customerNumber: string; sessionId: string }> {
    const device = await system.enrollDevice();
    return { device, customerNumber: device.customerNumber, sessionId: newSessionId() };
  }

  function rawWebhook(customerNumber: string, sessionId: string) {
    return system.http().post(`/v1/authenticate/${customerNumber}/${sessionId}`);
  }

  function asDevice(device: EnrolledDevice) {
    const bearer = `Bearer ${device.token}`;
    return {
      challenges: () => system.http().get('/api/v1/device/challenges').set('authorization', bearer),
      assertionOptions: (sessionId: string) =>
        system.http().post(`/api/v1/device/challenges/${sessionId}/assertion-options`).set('authorization', bearer),
      decide: (sessionId: string, body: object) =>
        system.http().post(`/api/v1/device/challenges/${sessionId}/decision`).set('authorization', bearer).send(body),
      putPushSubscription: (body: object) => system.http().put('/api/v1/device/push-subscription').set('authorization', bearer).send(body),
      remove: () => system.http().delete('/api/v1/device').set('authorization', bearer),
    };
  }

  /** A webhook that was accepted: the session is pending for the device's cardholder. */
  async function pendingSession(customerNumber: string): Promise<string> {
    const sessionId = newSessionId();
    await system.webhook(customerNumber, sessionId).expect(200);
    return sessionId;
  }

  async function pendingSessionIds(device: EnrolledDevice): Promise<string[]> {
    const response = await asDevice(device).challenges().expect(200);
    return response.body.map((challenge: { sessionId: string }) => challenge.sessionId);
  }

  /** The session is still open: listed for its cardholder, and no result went to Enfuce. */
  async function expectStillPending(device: EnrolledDevice, sessionId: string): Promise<void> {
    expect(await pendingSessionIds(device)).toContain(sessionId);
    expect(await system.redis.hget(system.keys.session(sessionId), 'state')).toBe('PENDING');
    expect(system.enfuce.callbacksFor(sessionId)).toEqual([]);
  }

  async function startEnrollment(customerNumber = newCustomerNumber()): Promise<{ customerNumber: string; activationCode: string }> {
    return { customerNumber, activationCode: await system.activationCode(customerNumber) };
  }

  async function devicesOf(customerNumber: string): Promise<Record<string, any>[]> {
    const { rows } = await system.db.query(
      `SELECT d.id, d.status, d.push_subscription FROM devices d JOIN cardholders c ON c.id = d.cardholder_id WHERE c.customer_number = $1`,
      [customerNumber],
    );
    return rows;
  }

  async function cardholderExists(customerNumber: string): Promise<boolean> {
    const { rowCount } = await system.db.query('SELECT 1 FROM cardholders WHERE customer_number = $1', [customerNumber]);
    return (rowCount ?? 0) > 0;
  }

  function validKeys() {
    return system.pushService.createSubscription().keys;
  }

  // ---------------------------------------------------------------- webhook: authentication

  describe('webhook POST /v1/authenticate/{customerNumber}/{sessionId}', () => {
    it('answers 401 when the credentials are missing', async () => {
      const { device, customerNumber, sessionId } = await cardholderWithDevice();
      const response = await rawWebhook(customerNumber, sessionId).send(system.webhookBody(customerNumber, sessionId));
      await expect401Basic(response, 'INVALID_CREDENTIALS');
      await expectWebhookChangedNothing(customerNumber, sessionId, device);
    });

    it('answers 401 when the password is wrong, and audits the rejection', async () => {
      const { device, customerNumber, sessionId } = await cardholderWithDevice();
      const response = await rawWebhook(customerNumber, sessionId)
        .auth(WEBHOOK_CREDENTIALS.username, `${WEBHOOK_CREDENTIALS.password}-wrong`)
        .send(system.webhookBody(customerNumber, sessionId));
      await expect401Basic(response, 'INVALID_CREDENTIALS');
      await expectWebhookChangedNothing(customerNumber, sessionId, device);
      expect(await auditRowFor('webhook.rejected', response)).toMatchObject({
        customer_number: customerNumber,
        session_id: sessionId,
        details: expect.objectContaining({ status: 401, errorCode: 'INVALID_CREDENTIALS' }),
      });
    });

    it('answers 401 when the Authorization scheme is not Basic', async () => {
      const { device, customerNumber, sessionId } = await cardholderWithDevice();
      const basicToken = Buffer.from(`${WEBHOOK_CREDENTIALS.username}:${WEBHOOK_CREDENTIALS.password}`).toString('base64');
      const response = await rawWebhook(customerNumber, sessionId)
        .set('authorization', `Bearer ${basicToken}`)
        .send(system.webhookBody(customerNumber, sessionId));
      await expect401Basic(response, 'INVALID_CREDENTIALS');
      await expectWebhookChangedNothing(customerNumber, sessionId, device);
    });

    // ---------------------------------------------------------------- webhook: static validation

    it('answers 400 when the body is malformed JSON, and audits the rejection', async () => {
      const { device, customerNumber, sessionId } = await cardholderWithDevice();
      const response = await rawWebhook(customerNumber, sessionId)
        .auth(WEBHOOK_CREDENTIALS.username, WEBHOOK_CREDENTIALS.password)
        .set('content-type', 'application/json')
        .send('{"callbackUrl": "https://id.enfuce.com/v1/callback", "transaction": {');
      await expectErrorResponse(response, 400, { errorType: 'STATIC_VALIDATION_ERROR' });
      await expectWebhookChangedNothing(customerNumber, sessionId, device);
      expect(await auditRowFor('webhook.rejected', response)).toMatchObject({ session_id: sessionId, customer_number: customerNumber });
    });

    it('answers 400 when transaction.amount is missing', async () => {
      const { device, customerNumber, sessionId } = await cardholderWithDevice();
      const body = system.webhookBody(customerNumber, sessionId);
      const { amount: _amount, ...transaction } = body.transaction;
      const response = await system.webhook(customerNumber, sessionId, { ...body, transaction });
      await expectErrorResponse(response, 400, { errorType: 'STATIC_VALIDATION_ERROR', errorReason: '$.transaction.amount' });
      expect(response.body.message).toBe('$.transaction.amount is required');
      await expectWebhookChangedNothing(customerNumber, sessionId, device);
    });

    it('answers 400 when merchant.name is missing', async () => {
      const { device, customerNumber, sessionId } = await cardholderWithDevice();
      const body = system.webhookBody(customerNumber, sessionId);
      const { name: _name, ...merchant } = body.merchant;
      const response = await system.webhook(customerNumber, sessionId, { ...body, merchant });
      await expectErrorResponse(response, 400, { errorType: 'STATIC_VALIDATION_ERROR', errorReason: '$.merchant.name' });
      await expectWebhookChangedNothing(customerNumber, sessionId, device);
    });

    it('answers 400 when the currency is not an upper-case ISO 4217 code', async () => {
      const { device, customerNumber, sessionId } = await cardholderWithDevice();
      const body = system.webhookBody(customerNumber, sessionId);
      const response = await system.webhook(customerNumber, sessionId, {
        ...body,
        transaction: { ...body.transaction, amount: { amount: 3.14, currency: 'eur' } },
      });
      await expectErrorResponse(response, 400, { errorType: 'STATIC_VALIDATION_ERROR', errorReason: '$.transaction.amount.currency' });
      await expectWebhookChangedNothing(customerNumber, sessionId, device);
    });

    it('answers 400 when the amount is negative', async () => {
      const { device, customerNumber, sessionId } = await cardholderWithDevice();
      const body = system.webhookBody(customerNumber, sessionId);
      const response = await system.webhook(customerNumber, sessionId, {
        ...body,
        transaction: { ...body.transaction, amount: { amount: -3.14, currency: 'EUR' } },
      });
      await expectErrorResponse(response, 400, { errorType: 'STATIC_VALIDATION_ERROR', errorReason: '$.transaction.amount.amount' });
      await expectWebhookChangedNothing(customerNumber, sessionId, device);
    });

    it('answers 400 when the amount is not a number', async () => {
      const { device, customerNumber, sessionId } = await cardholderWithDevice();
      const body = system.webhookBody(customerNumber, sessionId);
      const response = await system.webhook(customerNumber, sessionId, {
        ...body,
        transaction: { ...body.transaction, amount: { amount: '3.14', currency: 'EUR' } },
      });
      await expectErrorResponse(response, 400, { errorType: 'STATIC_VALIDATION_ERROR', errorReason: '$.transaction.amount.amount' });
      // A field that is there with the wrong type is not reported as missing.
      expect(response.body.message).toMatch(/^\$\.transaction\.amount\.amount /);
      expect(response.body.message).not.toMatch(/required/);
      await expectWebhookChangedNothing(customerNumber, sessionId, device);
    });

    it('answers 400 when the sessionId in the path is not a UUID', async () => {
      const { device, customerNumber } = await cardholderWithDevice();
      const sessionId = `not-a-uuid-${randomBytes(4).toString('hex')}`;
      const response = await system.webhook(customerNumber, sessionId);
      await expectErrorResponse(response, 400, { errorType: 'STATIC_VALIDATION_ERROR', errorReason: /^\$\.path\.sessionId/ });
      await expectWebhookChangedNothing(customerNumber, sessionId, device);
    });

    // ---------------------------------------------------------------- webhook: the callbackUrl (SSRF guard)

    const forgedCallbackUrls: [string, (customerNumber: string, sessionId: string) => string][] = [
      ['is on another host', (customerNumber, sessionId) => `https://evil.example.com/v1/callback/${INSTITUTION}/${customerNumber}/${sessionId}`],
      ['names another sessionId', (customerNumber) => system.enfuce.callbackUrlFor(INSTITUTION, customerNumber, newSessionId())],
      ['names another customerNumber', (_customerNumber, sessionId) => system.enfuce.callbackUrlFor(INSTITUTION, newCustomerNumber(), sessionId)],
      ['has an extra path segment', (customerNumber, sessionId) => `${system.enfuce.callbackUrlFor(INSTITUTION, customerNumber, sessionId)}/extra`],
      ['has a query string', (customerNumber, sessionId) => `${system.enfuce.callbackUrlFor(INSTITUTION, customerNumber, sessionId)}?next=https://evil.example.com`],
    ];

    it.each(forgedCallbackUrls)('answers 400 when the callbackUrl %s', async (_why, callbackUrlFor) => {
      const { device, customerNumber, sessionId } = await cardholderWithDevice();
      const body = system.webhookBody(customerNumber, sessionId, { callbackUrl: callbackUrlFor(customerNumber, sessionId) });
      const response = await system.webhook(customerNumber, sessionId, body);
      await expectErrorResponse(response, 400, {
        errorType: 'STATIC_VALIDATION_ERROR',
        errorCode: 'CALLBACK_URL_NOT_ALLOWED',
        errorReason: '$.callbackUrl',
      });
      await expectWebhookChangedNothing(customerNumber, sessionId, device);
      expect(await auditRowFor('webhook.rejected', response)).toMatchObject({
        customer_number: customerNumber,
        session_id: sessionId,
        details: expect.objectContaining({ status: 400, errorCode: 'CALLBACK_URL_NOT_ALLOWED' }),
      });
    });

    // ---------------------------------------------------------------- webhook: size, unknown cardholder, unknown fields

    it('answers 413 when the body is over 64 KiB, and audits the rejection', async () => {
      const { device, customerNumber, sessionId } = await cardholderWithDevice();
      const body = system.webhookBody(customerNumber, sessionId);
      const big = { ...body, merchant: { ...body.merchant, description: 'x'.repeat(65 * 1024) } };
      expect(Buffer.byteLength(JSON.stringify(big))).toBeGreaterThan(64 * 1024);
      const response = await system.webhook(customerNumber, sessionId, big);
      await expectErrorResponse(response, 413, { errorType: 'STATIC_VALIDATION_ERROR' });
      await expectWebhookChangedNothing(customerNumber, sessionId, device);
      expect(await auditRowFor('webhook.rejected', response)).toMatchObject({ session_id: sessionId });
    });

    it('answers 404 when the customerNumber is unknown', async () => {
      const customerNumber = newCustomerNumber();
      const sessionId = newSessionId();
      const response = await system.webhook(customerNumber, sessionId);
      await expectErrorResponse(response, 404, { errorType: 'DYNAMIC_VALIDATION_ERROR', errorCode: 'NO_ACTIVE_DEVICE' });
      await expectWebhookChangedNothing(customerNumber, sessionId);
    });

    it("answers 404 when the cardholder's only device was removed", async () => {
      const { device, customerNumber, sessionId } = await cardholderWithDevice();
      await asDevice(device).remove().expect(204);

      const response = await system.webhook(customerNumber, sessionId);

      await expectErrorResponse(response, 404, { errorType: 'DYNAMIC_VALIDATION_ERROR', errorCode: 'NO_ACTIVE_DEVICE' });
      await expectWebhookChangedNothing(customerNumber, sessionId, device);
    });

    it('tolerates unknown fields at every level of the body (answers 200, not 4xx)', async () => {
      const { device, customerNumber, sessionId } = await cardholderWithDevice();
      const body = system.webhookBody(customerNumber, sessionId);
      const response = await system.webhook(customerNumber, sessionId, {
        ...body,
        threeDsVersion: '2.3.1',
        acs: { transactionId: 'abc', nested: [1, 2, 3] },
        transaction: {
          ...body.transaction,
          mcc: '4511',
          amount: { ...body.transaction.amount, exponent: 2, original: { amount: 3, currency: 'USD' } },
        },
        merchant: { ...body.merchant, mcc: '4511', address: { city: 'Helsinki' } },
      });
      expect(response.status).toBe(200);
      expect(await pendingSessionIds(device)).toEqual([sessionId]);
    });
  });

  // ---------------------------------------------------------------- device API: the bearer token

  describe('device API: authentication', () => {
    it('answers 401 when the device token is missing', async () => {
      await expect401Bearer(await system.http().get('/api/v1/device/challenges'));
      await expect401Bearer(await system.http().post(`/api/v1/device/challenges/${newSessionId()}/assertion-options`));
    });

    it('answers 401 when the device token is unknown', async () => {
      const unknown = `Bearer dt_${randomBytes(32).toString('base64url')}`;
      await expect401Bearer(await system.http().get('/api/v1/device/challenges').set('authorization', unknown));
      await expect401Bearer(
        await system.http().post(`/api/v1/device/challenges/${newSessionId()}/decision`).set('authorization', unknown).send({ decision: 'decline' }),
      );
    });

    it('answers 401 when the device was removed, and its token no longer decides anything', async () => {
      const device = await system.enrollDevice();
      const other = await system.enrollDevice({ customerNumber: device.customerNumber });
      const sessionId = await pendingSession(device.customerNumber);

      await asDevice(device).remove().expect(204);

      const listed = await asDevice(device).challenges();
      await expect401Bearer(listed);
      await expect401Bearer(await asDevice(device).decide(sessionId, { decision: 'decline' }));
      await expect401Bearer(await asDevice(device).remove());
      expect(await auditRowFor('device.auth_failed', listed)).toMatchObject({ device_id: device.deviceId });
      await expectStillPending(other, sessionId);
    });
  });

  // ---------------------------------------------------------------- device API: decisions

  describe('device API: decisions', () => {
    it('answers 403 when the assertion is for another transaction', async () => {
      const device = await system.enrollDevice();
      const sessionA = await pendingSession(device.customerNumber);
      const sessionB = await pendingSession(device.customerNumber);

      const optionsA = await asDevice(device).assertionOptions(sessionA).expect(200);
      const response = await asDevice(device).decide(sessionB, { decision: 'approve', credential: device.authenticator.assert(optionsA.body) });

      await expectErrorResponse(response, 403, { errorType: 'SECURITY_ERROR', errorCode: 'ASSERTION_REJECTED' });
      await expectStillPending(device, sessionB);
      await expectStillPending(device, sessionA);
      expect(await auditRowFor('assertion.rejected', response)).toMatchObject({
        customer_number: device.customerNumber,
        session_id: sessionB,
        device_id: device.deviceId,
      });
    });

    it('answers 403 when user verification is missing', async () => {
      const device = await system.enrollDevice();
      const sessionId = await pendingSession(device.customerNumber);
      const options = await asDevice(device).assertionOptions(sessionId).expect(200);

      const response = await asDevice(device).decide(sessionId, {
        decision: 'approve',
        credential: device.authenticator.assert(options.body, { userVerified: false }),
      });

      await expectErrorResponse(response, 403, { errorType: 'SECURITY_ERROR', errorCode: 'ASSERTION_REJECTED' });
      await expectStillPending(device, sessionId);
    });

    it('answers 403 when the assertion comes from the passkey of another device of the same cardholder', async () => {
      const first = await system.enrollDevice();
      const second = await system.enrollDevice({ customerNumber: first.customerNumber });
      const sessionId = await pendingSession(first.customerNumber);

      // A genuine assertion by the first device's passkey, for this very transaction, sent with the second device's token.
      const optionsFirst = await asDevice(first).assertionOptions(sessionId).expect(200);
      const response = await asDevice(second).decide(sessionId, { decision: 'approve', credential: first.authenticator.assert(optionsFirst.body) });

      await expectErrorResponse(response, 403, { errorType: 'SECURITY_ERROR', errorCode: 'ASSERTION_REJECTED' });
      await expectStillPending(first, sessionId);
      expect(await auditRowFor('assertion.rejected', response)).toMatchObject({ session_id: sessionId, device_id: second.deviceId });
    });

    it('answers 403 when the challenge in the assertion was tampered with', async () => {
      const device = await system.enrollDevice();
      const sessionId = await pendingSession(device.customerNumber);
      const options = await asDevice(device).assertionOptions(sessionId).expect(200);

      const response = await asDevice(device).decide(sessionId, {
        decision: 'approve',
        credential: device.authenticator.assert(options.body, { challenge: randomBytes(32).toString('base64url') }),
      });

      await expectErrorResponse(response, 403, { errorType: 'SECURITY_ERROR', errorCode: 'ASSERTION_REJECTED' });
      await expectStillPending(device, sessionId);
      // The honest assertion still works afterwards: the rejected one changed nothing.
      const honest = await asDevice(device).decide(sessionId, { decision: 'approve', credential: device.authenticator.assert(options.body) });
      expect(honest.status).toBe(200);
      expect(honest.body).toMatchObject({ result: 'SUCCESS' });
    });

    it('answers 403 when the assertion was made for another origin (a phishing site)', async () => {
      const device = await system.enrollDevice();
      const sessionId = await pendingSession(device.customerNumber);
      const options = await asDevice(device).assertionOptions(sessionId).expect(200);

      const response = await asDevice(device).decide(sessionId, {
        decision: 'approve',
        credential: device.authenticator.assert(options.body, { origin: 'https://assent.example.evil' }),
      });

      await expectErrorResponse(response, 403, { errorType: 'SECURITY_ERROR', errorCode: 'ASSERTION_REJECTED' });
      await expectStillPending(device, sessionId);
    });

    it('answers 409 when a successful approval is replayed', async () => {
      const device = await system.enrollDevice();
      const sessionId = await pendingSession(device.customerNumber);
      const options = await asDevice(device).assertionOptions(sessionId).expect(200);
      const decision = { decision: 'approve', credential: device.authenticator.assert(options.body) };

      const first = await asDevice(device).decide(sessionId, decision);
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ result: 'SUCCESS' });

      const replay = await asDevice(device).decide(sessionId, decision);
      await expectErrorResponse(replay, 409, { errorType: 'DYNAMIC_VALIDATION_ERROR', errorCode: 'SESSION_ALREADY_DECIDED' });

      expect((await system.enfuce.waitForCallback(sessionId)).result).toBe('SUCCESS');
      await sleep(SETTLE_MS);
      expect(system.enfuce.callbacksFor(sessionId)).toHaveLength(1);
    });

    it("answers 404 when a device asks about another cardholder's session", async () => {
      const x = await system.enrollDevice();
      const y = await system.enrollDevice();
      const sessionOfY = await pendingSession(y.customerNumber);

      await expectErrorResponse(await asDevice(x).assertionOptions(sessionOfY), 404, {
        errorType: 'DYNAMIC_VALIDATION_ERROR',
        errorCode: 'SESSION_NOT_FOUND',
      });
      await expectErrorResponse(await asDevice(x).decide(sessionOfY, { decision: 'decline', reason: 'not_me' }), 404, {
        errorType: 'DYNAMIC_VALIDATION_ERROR',
        errorCode: 'SESSION_NOT_FOUND',
      });
      expect(await pendingSessionIds(x)).toEqual([]);
      await expectStillPending(y, sessionOfY);
    });

    it('answers 400 when the sessionId in the path is not a UUID', async () => {
      const device = await system.enrollDevice();
      const sessionId = await pendingSession(device.customerNumber);

      await expectErrorResponse(await asDevice(device).assertionOptions('not-a-uuid'), 400, {
        errorType: 'STATIC_VALIDATION_ERROR',
        errorReason: '$.path.sessionId',
      });
      await expectErrorResponse(await asDevice(device).decide('not-a-uuid', { decision: 'decline' }), 400, {
        errorType: 'STATIC_VALIDATION_ERROR',
        errorReason: '$.path.sessionId',
      });
      await expectStillPending(device, sessionId);
    });

    it('answers 400 when the decision value is unknown', async () => {
      const device = await system.enrollDevice();
      const sessionId = await pendingSession(device.customerNumber);

      const response = await asDevice(device).decide(sessionId, { decision: 'maybe' });

      await expectErrorResponse(response, 400, { errorType: 'STATIC_VALIDATION_ERROR', errorReason: /^\$\.decision/ });
      await expectStillPending(device, sessionId);
    });

    it('answers 400 when the decline reason is unknown', async () => {
      const device = await system.enrollDevice();
      const sessionId = await pendingSession(device.customerNumber);

      const response = await asDevice(device).decide(sessionId, { decision: 'decline', reason: 'whatever' });

      await expectErrorResponse(response, 400, { errorType: 'STATIC_VALIDATION_ERROR', errorReason: /^\$\.reason/ });
      await expectStillPending(device, sessionId);
    });
  });

  // ---------------------------------------------------------------- device API: push subscriptions (SSRF guard)

  describe('device API: push endpoints', () => {
    it('answers 400 when a device subscribes with an https endpoint on a host not in PUSH_ALLOWED_HOSTS', async () => {
      const device = await system.enrollDevice();
      const before = await devicesOf(device.customerNumber);

      const response = await asDevice(device).putPushSubscription({
        pushSubscription: { endpoint: 'https://169.254.169.254/push/x', keys: validKeys() },
      });

      await expectErrorResponse(response, 400, {
        errorType: 'STATIC_VALIDATION_ERROR',
        errorCode: 'PUSH_ENDPOINT_NOT_ALLOWED',
        errorReason: '$.pushSubscription.endpoint',
      });
      expect(await devicesOf(device.customerNumber)).toEqual(before);
      expect(await auditRowFor('push_subscription.rejected', response)).toMatchObject({ device_id: device.deviceId });
    });

    it('answers 400 when a device subscribes with an http: (not https) endpoint, even on an allowed host', async () => {
      const device = await system.enrollDevice();
      const before = await devicesOf(device.customerNumber);
      const endpoint = device.subscription!.endpoint.replace(/^https:/, 'http:');

      const response = await asDevice(device).putPushSubscription({ pushSubscription: { endpoint, keys: validKeys() } });

      await expectErrorResponse(response, 400, { errorType: 'STATIC_VALIDATION_ERROR', errorReason: '$.pushSubscription.endpoint' });
      expect(await devicesOf(device.customerNumber)).toEqual(before);
    });

    it('answers 400 when a device registers with a push endpoint that is not allowed, and the activation code stays usable', async () => {
      const { customerNumber, activationCode } = await startEnrollment();
      const authenticator = new SoftAuthenticator({ origin: system.apiUrl });
      const creationOptions = await system.http().post('/api/v1/devices/registration-options').send({ activationCode }).expect(200);
      const credential = authenticator.register(creationOptions.body);
      const register = (pushSubscription: object) =>
        system.http().post('/api/v1/devices').send({ activationCode, credential, pushSubscription, name: 'Test phone' });

      await expectErrorResponse(await register({ endpoint: 'https://169.254.169.254/push/x', keys: validKeys() }), 400, {
        errorType: 'STATIC_VALIDATION_ERROR',
        errorCode: 'PUSH_ENDPOINT_NOT_ALLOWED',
        errorReason: '$.pushSubscription.endpoint',
      });
      const allowed = system.pushService.createSubscription();
      await expectErrorResponse(await register({ endpoint: allowed.endpoint.replace(/^https:/, 'http:'), keys: allowed.keys }), 400, {
        errorType: 'STATIC_VALIDATION_ERROR',
        errorReason: '$.pushSubscription.endpoint',
      });
      expect(await devicesOf(customerNumber)).toEqual([]);

      // Nothing was consumed: the same ceremony completes with an allowed endpoint.
      const registered = await register({ endpoint: allowed.endpoint, keys: allowed.keys });
      expect(registered.status).toBe(201);
      expect(await devicesOf(customerNumber)).toEqual([
        expect.objectContaining({ id: registered.body.deviceId, status: 'active', push_subscription: expect.objectContaining({ endpoint: allowed.endpoint }) }),
      ]);
    });
  });

  // ---------------------------------------------------------------- enrollment and activation codes

  describe('enrollment and activation codes', () => {
    it('answers 400 when an activation code is used a second time', async () => {
      const { customerNumber, activationCode } = await startEnrollment();
      const authenticator = new SoftAuthenticator({ origin: system.apiUrl });
      const creationOptions = await system.http().post('/api/v1/devices/registration-options').send({ activationCode }).expect(200);
      await system
        .http()
        .post('/api/v1/devices')
        .send({ activationCode, credential: authenticator.register(creationOptions.body), name: 'Test phone' })
        .expect(201);

      const again = await system.http().post('/api/v1/devices/registration-options').send({ activationCode });
      await expectErrorResponse(again, 400, {
        errorType: 'DYNAMIC_VALIDATION_ERROR',
        errorCode: 'ACTIVATION_CODE_INVALID',
        errorReason: '$.activationCode',
      });

      // Nor can the used code register another passkey.
      const intruder = new SoftAuthenticator({ origin: system.apiUrl });
      const registerAgain = await system
        .http()
        .post('/api/v1/devices')
        .send({ activationCode, credential: intruder.register(creationOptions.body), name: 'Intruder' });
      await expectErrorResponse(registerAgain, 400, { errorType: 'DYNAMIC_VALIDATION_ERROR', errorReason: '$.activationCode' });
      expect(await devicesOf(customerNumber)).toHaveLength(1);
    });

    it('answers 401 when the enrollment API is called without issuer credentials', async () => {
      const customerNumber = newCustomerNumber();
      const missing = await system.http().post('/api/v1/enrollments').send({ customerNumber, displayName: 'Maria' });
      await expect401Basic(missing, 'INVALID_CREDENTIALS');
      const wrong = await system
        .http()
        .post('/api/v1/enrollments')
        .auth(ISSUER_CREDENTIALS.username, `${ISSUER_CREDENTIALS.password}-wrong`)
        .send({ customerNumber, displayName: 'Maria' });
      await expect401Basic(wrong, 'INVALID_CREDENTIALS');
      const webhookCredentials = await system
        .http()
        .post('/api/v1/enrollments')
        .auth(WEBHOOK_CREDENTIALS.username, WEBHOOK_CREDENTIALS.password)
        .send({ customerNumber, displayName: 'Maria' });
      await expect401Basic(webhookCredentials, 'INVALID_CREDENTIALS');

      expect(await cardholderExists(customerNumber)).toBe(false);
      expect(await auditRowFor('issuer.auth_failed', wrong)).toMatchObject({ type: 'issuer.auth_failed' });
    });

    it('answers 400 when the enrollment names a bad customerNumber', async () => {
      const customerNumber = `../${newCustomerNumber()} x`;
      const response = await system
        .http()
        .post('/api/v1/enrollments')
        .auth(ISSUER_CREDENTIALS.username, ISSUER_CREDENTIALS.password)
        .send({ customerNumber, displayName: 'Maria' });
      await expectErrorResponse(response, 400, { errorType: 'STATIC_VALIDATION_ERROR', errorReason: '$.customerNumber' });
      expect(await cardholderExists(customerNumber)).toBe(false);

      const missing = await system
        .http()
        .post('/api/v1/enrollments')
        .auth(ISSUER_CREDENTIALS.username, ISSUER_CREDENTIALS.password)
        .send({ displayName: 'Maria' });
      await expectErrorResponse(missing, 400, { errorType: 'STATIC_VALIDATION_ERROR', errorReason: '$.customerNumber' });
    });
  });
});
