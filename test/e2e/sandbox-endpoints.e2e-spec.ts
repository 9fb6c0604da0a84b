import { MERCHANT_API_CREDENTIALS, THREE_DS_SERVER_API_KEY } from '../../apps/sandbox/src/common/sandbox-credentials';
import { CALLBACK_CREDENTIALS } from '../support/assent-under-test';
import { SANDBOX_INSTITUTION, useSandboxUnderTest } from '../support/sandbox-under-test';

const APPROVING_CARD = '4000000000001000';
const SILENT_CARD = '4000000000003006';
const NO_PHONE_CARD = '4000000000005001';
const WORLDPAY_V1 = 'application/vnd.worldpay.verifications.customers-v1.hal+json';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A browser-channel AReq as a merchant's gateway sends it to 3dsecure.io's /auth (seed 001). */
function areq(overrides: Record<string, unknown> = {}) {
  return {
    messageVersion: '2.2.0',
    messageCategory: '01',
    deviceChannel: '02',
    acctNumber: APPROVING_CARD,
    cardExpiryDate: '3512',
    purchaseAmount: '314',
    purchaseCurrency: '978',
    purchaseExponent: '2',
    purchaseDate: '20261122101530',
    merchantName: 'Airline of the world inc.',
    mcc: '4511',
    merchantCountryCode: '246',
    acquirerBIN: '400551',
    acquirerMerchantID: 'airline',
    threeDSRequestorID: 'airline-requestor',
    threeDSRequestorName: 'Airline of the world',
    threeDSRequestorURL: 'https://www.airline.com/',
    threeDSRequestorAuthenticationInd: '01',
    threeDSCompInd: 'U',
    notificationURL: 'https://www.airline.com/3ds/notify',
    browserAcceptHeader: 'text/html',
    browserUserAgent: 'Mozilla/5.0 (X11; Linux x86_64)',
    browserJavascriptEnabled: true,
    browserLanguage: 'fi-FI',
    ...overrides,
  };
}

/** Worldpay's authenticate request (seed 002). */
function authenticateBody(overrides: Record<string, unknown> = {}) {
  return {
    transactionReference: `order-${Date.now()}`,
    merchant: { entity: 'default' },
    instruction: {
      value: { amount: 314, currency: 'EUR' },
      paymentInstrument: { type: 'card/front', cardHolderName: 'Maria Test', cardNumber: APPROVING_CARD, expiryDate: { month: 12, year: 2035 } },
    },
    deviceData: { acceptHeader: 'text/html', userAgentHeader: 'Mozilla/5.0' },
    challenge: { returnUrl: 'https://shop.example.com/3ds/return' },
    ...overrides,
  };
}

describe('the sandbox parties’ endpoints, against their documents', () => {
  const { system, sandbox } = useSandboxUnderTest({ authTimeoutSeconds: 5, directoryServerTimeoutMs: 1000 });

  afterEach(async () => {
    await sandbox.settings({ enfuce: { deadlineSeconds: 150, callbackFaults: { dropFirst: 0, unavailableFirst: 0, slowMs: 0 } }, directoryServer: { delayMs: 0 } });
  });

  /** The shop pays with a card and the shopper's browser opens the ACS challenge, which starts Enfuce ID's session. */
  async function openChallenge(cardNumber: string) {
    const order = await sandbox.http().post('/shop/api/orders').send({ itemId: 'coffee', cardNumber }).expect(201);
    expect(order.body.outcome).toBe('challenged');
    const { creq, url } = order.body.challenge;
    expect(url).toBe(`${sandbox.url}/acs/challenge`);
    const { acsTransID } = JSON.parse(Buffer.from(creq, 'base64url').toString('utf8'));
    const page = await sandbox.http().post('/acs/challenge').type('form').send({ creq }).expect(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    const status = (await sandbox.http().get(`/acs/challenges/${acsTransID}`).expect(200)).body;
    return { orderId: order.body.orderId as string, acsTransID: acsTransID as string, status };
  }

  function callback(path: { institutionCode?: string; customerNumber: string; sessionId: string }, body: unknown, credentials = CALLBACK_CREDENTIALS) {
    return sandbox
      .http()
      .post(`/enfuceid/api/v1/callback/${path.institutionCode ?? SANDBOX_INSTITUTION}/${path.customerNumber}/${path.sessionId}`)
      .auth(credentials.username, credentials.password)
      .send(body as object);
  }

  function expectErrorResponse(body: any, code: number, fields: Record<string, unknown>) {
    expect(body).toEqual({
      code: String(code),
      message: expect.any(String),
      id: expect.stringMatching(UUID),
      errorCode: expect.any(String),
      errorType: expect.stringMatching(/^(STATIC_VALIDATION_ERROR|DYNAMIC_VALIDATION_ERROR|INTEGRATION_ERROR|SECURITY_ERROR|UNEXPECTED_ERROR)$/),
      errorReason: expect.any(String),
      timestamp: expect.any(String),
    });
    expect(body).toMatchObject(fields);
  }

  describe('Enfuce ID: the callback (seed 000)', () => {
    it('sends the authenticator a webhook it accepts, with Basic auth and the documented body', async () => {
      const { status } = await openChallenge(SILENT_CARD);
      const session = await sandbox.enfuceSession(status.enfuceSessionId);
      expect(session.webhookAttempts).toEqual([expect.objectContaining({ status: 200 })]);
      expect(session.callbackUrl).toBe(`${sandbox.url}/enfuceid/api/v1/callback/${SANDBOX_INSTITUTION}/${session.customerNumber}/${session.sessionId}`);
      // What the authenticator stored is what the webhook carried.
      const stored = await system.redis.hgetall(system.keys.session(session.sessionId));
      expect(stored).toMatchObject({ customerNumber: session.customerNumber, institutionCode: SANDBOX_INSTITUTION, callbackUrl: session.callbackUrl });
      expect(JSON.parse(stored.transaction)).toMatchObject({ type: 'PAYMENT', cardNumber: '400000______3006', amount: 24.9, currency: 'EUR' });
      expect(JSON.parse(stored.merchant)).toEqual({ name: 'Sandbox Shop', country: 'FIN', url: `${sandbox.url}/` });
    });

    it('accepts the first result with 200 and forwards it to the ACS; the same result again is 200, another is 403', async () => {
      const { acsTransID, status } = await openChallenge(SILENT_CARD);
      const session = await sandbox.enfuceSession(status.enfuceSessionId);
      const path = { customerNumber: session.customerNumber, sessionId: session.sessionId };

      const accepted = await callback(path, { result: 'SUCCESS', extra: 'ignored, as the Enfuce rule says' });
      expect(accepted.status).toBe(200);
      expect((await sandbox.http().get(`/acs/challenges/${acsTransID}`)).body).toMatchObject({ state: 'final', transStatus: 'Y' });
      expect((await callback(path, { result: 'SUCCESS' })).status).toBe(200);

      const other = await callback(path, { result: 'FAIL' });
      expect(other.status).toBe(403);
      expectErrorResponse(other.body, 403, { errorCode: 'RESULT_ALREADY_RECEIVED' });
      // The authenticator's own TIMEOUT (AUTH_TIMEOUT_SECONDS=5) comes later and is refused the same way.
      const after = await sandbox.enfuceSessionWhen(session.sessionId, (current) => current.callbacks.some((entry: any) => entry.result === 'TIMEOUT'));
      expect(after.callbacks.at(-1)).toMatchObject({ status: 403, result: 'TIMEOUT' });
      expect(after.outcome).toMatchObject({ result: 'SUCCESS', source: 'callback' });
    });

    it('answers 401 with WWW-Authenticate and an errorResponse to wrong credentials, and changes nothing', async () => {
      const { acsTransID, status } = await openChallenge(SILENT_CARD);
      const session = await sandbox.enfuceSession(status.enfuceSessionId);

      const response = await callback({ customerNumber: session.customerNumber, sessionId: session.sessionId }, { result: 'SUCCESS' }, { username: CALLBACK_CREDENTIALS.username, password: 'wrong' });

      expect(response.status).toBe(401);
      expect(response.headers['www-authenticate']).toMatch(/^Basic/);
      expectErrorResponse(response.body, 401, { errorType: 'SECURITY_ERROR' });
      expect((await sandbox.http().get(`/acs/challenges/${acsTransID}`)).body.state).toBe('in-progress');
    });

    it('answers 404 to an unknown session and to a customerNumber that is not the session’s', async () => {
      const { status } = await openChallenge(SILENT_CARD);
      const session = await sandbox.enfuceSession(status.enfuceSessionId);

      const unknown = await callback({ customerNumber: session.customerNumber, sessionId: '00000000-0000-4000-8000-000000000000' }, { result: 'SUCCESS' });
      expect(unknown.status).toBe(404);
      expectErrorResponse(unknown.body, 404, { errorCode: 'SESSION_NOT_FOUND' });

      const otherCustomer = await callback({ customerNumber: 'someone-else', sessionId: session.sessionId }, { result: 'SUCCESS' });
      expect(otherCustomer.status).toBe(404);
      expectErrorResponse(otherCustomer.body, 404, { errorCode: 'CUSTOMER_NOT_FOUND' });
    });

    it('answers 400 naming $.result for a result outside SUCCESS, FAIL, ERROR and TIMEOUT, and for a body that is not JSON', async () => {
      const { status } = await openChallenge(SILENT_CARD);
      const session = await sandbox.enfuceSession(status.enfuceSessionId);
      const path = { customerNumber: session.customerNumber, sessionId: session.sessionId };

      const wrong = await callback(path, { result: 'MAYBE' });
      expect(wrong.status).toBe(400);
      expectErrorResponse(wrong.body, 400, { errorType: 'STATIC_VALIDATION_ERROR', errorReason: '$.result' });

      const broken = await callback(path, '{"result":').type('json');
      expect(broken.status).toBe(400);
      expectErrorResponse(broken.body, 400, { errorType: 'STATIC_VALIDATION_ERROR' });
    });

    it('drops the connection of the first callbacks when told to, and answers slowly when told to', async () => {
      await sandbox.settings({ enfuce: { callbackFaults: { dropFirst: 1, slowMs: 400 } } });
      const { status } = await openChallenge(SILENT_CARD);
      const session = await sandbox.enfuceSession(status.enfuceSessionId);
      const path = { customerNumber: session.customerNumber, sessionId: session.sessionId };

      await expect(callback(path, { result: 'FAIL' })).rejects.toThrow(/socket hang up|ECONNRESET/);
      const started = Date.now();
      expect((await callback(path, { result: 'FAIL' })).status).toBe(200);
      expect(Date.now() - started).toBeGreaterThanOrEqual(400);
      // (The authenticator's own TIMEOUT may follow after AUTH_TIMEOUT_SECONDS; only the first two are these.)
      expect((await sandbox.enfuceSession(session.sessionId)).callbacks.slice(0, 2).map((entry: any) => entry.status)).toEqual(['dropped', 200]);
    });

    it('answers 503 with an errorResponse to the first callbacks when told to', async () => {
      await sandbox.settings({ enfuce: { callbackFaults: { unavailableFirst: 1 } } });
      const { status } = await openChallenge(SILENT_CARD);
      const session = await sandbox.enfuceSession(status.enfuceSessionId);

      const refused = await callback({ customerNumber: session.customerNumber, sessionId: session.sessionId }, { result: 'FAIL' });
      expect(refused.status).toBe(503);
      expectErrorResponse(refused.body, 503, { errorType: 'INTEGRATION_ERROR' });
    });

    it('tells the ACS ERROR at once when the authenticator refuses the webhook because the cardholder has no phone', async () => {
      const { orderId, acsTransID, status } = await openChallenge(NO_PHONE_CARD);

      expect(status).toMatchObject({ state: 'final', transStatus: 'U' });
      const session = await sandbox.enfuceSession(status.enfuceSessionId);
      expect(session.webhookAttempts).toEqual([expect.objectContaining({ status: 404 })]);
      expect(session.outcome).toMatchObject({ result: 'ERROR', source: 'webhook', webhookStatus: 404 });
      const verification = await sandbox.http().post(`/shop/api/orders/${orderId}/verification`).expect(200);
      expect(verification.body).toMatchObject({ outcome: 'unavailable', authentication: { eci: '07' } });
      expect(acsTransID).toMatch(UUID);
    });
  });

  describe('the 3-D Secure server: /auth and /postauth (seed 001)', () => {
    const auth = (body: unknown, apiKey = THREE_DS_SERVER_API_KEY) => sandbox.http().post('/3ds-server/auth').set('APIKey', apiKey).send(body as object);

    it('answers an AReq for an enrolled card with an ARes that asks for an out-of-band challenge', async () => {
      const response = await auth(areq()).expect(200);
      expect(response.body).toEqual({
        messageType: 'ARes',
        messageVersion: '2.2.0',
        threeDSServerTransID: expect.stringMatching(UUID),
        dsTransID: expect.stringMatching(UUID),
        acsTransID: expect.stringMatching(UUID),
        acsReferenceNumber: expect.any(String),
        acsOperatorID: expect.any(String),
        dsReferenceNumber: expect.any(String),
        transStatus: 'C',
        acsURL: `${sandbox.url}/acs/challenge`,
        acsChallengeMandated: 'N',
        authenticationType: '03',
      });
    });

    it('answers transStatus U with reason 08 for a card the issuer has no record of', async () => {
      const response = await auth(areq({ acctNumber: '4111111111111111' })).expect(200);
      expect(response.body).toMatchObject({ messageType: 'ARes', transStatus: 'U', transStatusReason: '08' });
    });

    it('answers Erro 201 naming every missing element', async () => {
      const { purchaseAmount, merchantName, ...incomplete } = areq();
      const response = await auth(incomplete).expect(400);
      expect(response.body).toEqual({
        messageType: 'Erro',
        messageVersion: '2.2.0',
        errorCode: '201',
        errorComponent: 'S',
        errorDescription: 'Required Data Element Missing',
        errorDetail: 'purchaseAmount,merchantName',
        errorMessageType: 'AReq',
      });
      expect([purchaseAmount, merchantName]).toHaveLength(2);
    });

    it('answers Erro 203 naming a malformed element, 102 to an unsupported version, 101 to a body that is not JSON', async () => {
      expect((await auth(areq({ purchaseCurrency: 'EUR' })).expect(400)).body).toMatchObject({ messageType: 'Erro', errorCode: '203', errorDetail: 'purchaseCurrency' });
      expect((await auth(areq({ messageVersion: '1.0.2' })).expect(400)).body).toMatchObject({ messageType: 'Erro', errorCode: '102' });
      const broken = await sandbox.http().post('/3ds-server/auth').set('APIKey', THREE_DS_SERVER_API_KEY).type('json').send('{"messageVersion":').expect(400);
      expect(broken.body).toMatchObject({ messageType: 'Erro', errorCode: '101' });
    });

    it('answers Erro 303 to a wrong APIKey', async () => {
      expect((await auth(areq(), 'not-the-key').expect(403)).body).toMatchObject({ messageType: 'Erro', errorCode: '303', errorDetail: 'APIKey' });
    });

    it('answers the documented Erro 405 when the directory server does not answer in time', async () => {
      // The sandbox's 3-D Secure server waits SANDBOX_DS_TIMEOUT_MS=1000 here (10 s in production, as seed 001 says).
      await sandbox.settings({ directoryServer: { delayMs: 1500 } });
      const response = await auth(areq()).expect(504);
      expect(response.body).toEqual({
        messageType: 'Erro',
        messageVersion: '2.2.0',
        errorCode: '405',
        errorComponent: 'S',
        errorDescription: 'Unable to contact Directory Server',
        errorDetail: 'Connection timeout',
        errorMessageType: 'AReq',
        threeDSServerTransID: expect.stringMatching(UUID),
      });
    });

    it('returns the RReq from /postauth once the challenge ended, Erro 305 before, and Erro 203 for an unknown transaction', async () => {
      const postauth = (threeDSServerTransID: string) => sandbox.http().post('/3ds-server/postauth').set('APIKey', THREE_DS_SERVER_API_KEY).send({ threeDSServerTransID });
      const { status } = await openChallenge(SILENT_CARD);

      expect((await postauth(status.threeDSServerTransID).expect(400)).body).toMatchObject({ messageType: 'Erro', errorCode: '305' });
      const session = await sandbox.enfuceSession(status.enfuceSessionId);
      await callback({ customerNumber: session.customerNumber, sessionId: session.sessionId }, { result: 'FAIL' }).expect(200);
      expect((await postauth(status.threeDSServerTransID).expect(200)).body).toEqual({
        messageType: 'RReq',
        messageVersion: '2.2.0',
        messageCategory: '01',
        threeDSServerTransID: status.threeDSServerTransID,
        acsTransID: status.acsTransID,
        dsTransID: expect.stringMatching(UUID),
        transStatus: 'N',
        transStatusReason: '01',
        authenticationType: '03',
        interactionCounter: '01',
        eci: '07',
      });
      expect((await postauth('00000000-0000-4000-8000-000000000000').expect(400)).body).toMatchObject({
        messageType: 'Erro',
        errorCode: '203',
        errorDescription: 'Unknown threeDSServerTransID',
        errorDetail: 'Unknown threeDSServerTransID',
      });
    });
  });

  describe('the merchant API: authenticate and verification (seeds 002–003)', () => {
    const merchant = (operation: 'authenticate' | 'verification', body: unknown, contentType = WORLDPAY_V1) =>
      sandbox
        .http()
        .post(`/merchant-api/verifications/customers/3ds/${operation}`)
        .auth(MERCHANT_API_CREDENTIALS.username, MERCHANT_API_CREDENTIALS.password)
        .set('content-type', contentType)
        .send(typeof body === 'string' ? body : JSON.stringify(body));

    it('answers challenged with a reference, the ACS URL and the CReq, in Worldpay’s media type', async () => {
      const body = authenticateBody();
      const response = await merchant('authenticate', body).expect(200);

      expect(response.headers['content-type']).toMatch(/^application\/vnd\.worldpay\.verifications\.customers-v1\.hal\+json/);
      expect(response.body).toEqual({
        outcome: 'challenged',
        transactionReference: body.transactionReference,
        authentication: { version: '2.2.0' },
        challenge: { reference: expect.stringMatching(UUID), url: `${sandbox.url}/acs/challenge`, payload: expect.any(String) },
        _links: { '3ds:verify': { href: `${sandbox.url}/merchant-api/verifications/customers/3ds/verification` } },
      });
      expect(JSON.parse(Buffer.from(response.body.challenge.payload, 'base64url').toString('utf8'))).toMatchObject({ messageType: 'CReq', acsTransID: expect.stringMatching(UUID) });
    });

    it('answers 400 bodyDoesNotMatchSchema with every problem at its jsonPath', async () => {
      const body = authenticateBody({
        merchant: {},
        instruction: { value: { amount: 3.14, currency: 'EUR' }, paymentInstrument: { type: 'card/front', cardNumber: '4000000000001001', expiryDate: { month: 12, year: 2035 } } },
      });
      const response = await merchant('authenticate', body).expect(400);

      expect(response.body).toEqual({
        errorName: 'bodyDoesNotMatchSchema',
        message: expect.any(String),
        validationErrors: expect.arrayContaining([
          { errorName: 'fieldIsMissing', message: 'Is missing', jsonPath: '$.merchant.entity' },
          { errorName: 'fieldMustBeInteger', message: 'Must be an integer', jsonPath: '$.instruction.value.amount' },
          { errorName: 'fieldHasInvalidValue', message: 'Is not a valid card number', jsonPath: '$.instruction.paymentInstrument.cardNumber' },
        ]),
      });
      expect(response.body.validationErrors).toHaveLength(3);
    });

    it('answers 401 accessDenied without the merchant’s credentials', async () => {
      const response = await sandbox.http().post('/merchant-api/verifications/customers/3ds/authenticate').set('content-type', WORLDPAY_V1).send(JSON.stringify(authenticateBody())).expect(401);
      expect(response.body).toEqual({ errorName: 'accessDenied', message: expect.any(String) });
    });

    it('answers 400 headerHasInvalidValue for a plain JSON content type, and bodyIsNotJson for broken JSON', async () => {
      const plain = await merchant('authenticate', authenticateBody(), 'application/json').expect(400);
      expect(plain.body).toMatchObject({ errorName: 'headerHasInvalidValue', headerName: 'Content-Type' });
      const broken = await merchant('authenticate', '{"transactionReference":').expect(400);
      expect(broken.body).toMatchObject({ errorName: 'bodyIsNotJson' });
    });

    it('answers 502 when the 3-D Secure server cannot reach the directory server', async () => {
      await sandbox.settings({ directoryServer: { delayMs: 1500 } });
      const response = await merchant('authenticate', authenticateBody()).expect(502);
      expect(response.body).toEqual({ errorName: 'badGateway', message: expect.stringContaining('Unable to contact Directory Server') });
    });

    it('verifies a challenge: challengeNotCompleted while it runs, then authenticated with eci and authenticationValue', async () => {
      const body = authenticateBody({ instruction: { value: { amount: 2490, currency: 'EUR' }, paymentInstrument: { type: 'card/front', cardNumber: SILENT_CARD, expiryDate: { month: 1, year: 2030 } } } });
      const challenged = (await merchant('authenticate', body).expect(200)).body;
      await sandbox.http().post('/acs/challenge').type('form').send({ creq: challenged.challenge.payload }).expect(200);
      const verify = { transactionReference: body.transactionReference, merchant: { entity: 'default' }, challenge: { reference: challenged.challenge.reference } };
      const v2 = 'application/vnd.worldpay.verifications.customers-v2.hal+json';

      expect((await merchant('verification', verify, v2).expect(400)).body).toMatchObject({ errorName: 'challengeNotCompleted' });
      const { acsTransID } = JSON.parse(Buffer.from(challenged.challenge.payload, 'base64url').toString('utf8'));
      const status = (await sandbox.http().get(`/acs/challenges/${acsTransID}`).expect(200)).body;
      const session = await sandbox.enfuceSession(status.enfuceSessionId);
      await callback({ customerNumber: session.customerNumber, sessionId: session.sessionId }, { result: 'SUCCESS' }).expect(200);

      const verified = await merchant('verification', verify, v2).expect(200);
      expect(verified.headers['content-type']).toMatch(/customers-v2\.hal\+json/);
      expect(verified.body).toEqual({
        outcome: 'authenticated',
        transactionReference: body.transactionReference,
        authentication: { version: '2.2.0', eci: '05', authenticationValue: expect.stringMatching(/^[A-Za-z0-9+/]{27}=$/), transactionId: expect.stringMatching(UUID) },
      });
    });

    it('answers 400 at $.challenge.reference for a reference of another transaction', async () => {
      const challenged = (await merchant('authenticate', authenticateBody()).expect(200)).body;
      const response = await merchant('verification', { transactionReference: 'another-order', merchant: { entity: 'default' }, challenge: { reference: challenged.challenge.reference } }).expect(400);
      expect(response.body.validationErrors).toEqual([expect.objectContaining({ errorName: 'fieldHasInvalidValue', jsonPath: '$.challenge.reference' })]);
    });
  });

  describe('the sandbox’s own controls', () => {
    it('refuses settings out of range with an errorResponse naming the field, and keeps the old ones', async () => {
      const response = await sandbox.http().put('/sandbox/settings').send({ enfuce: { deadlineSeconds: 0 } }).expect(400);
      expectErrorResponse(response.body, 400, { errorReason: '$.enfuce.deadlineSeconds' });
      expect((await sandbox.http().get('/sandbox/settings').expect(200)).body.enfuce.deadlineSeconds).toBe(150);
    });

    it('refuses a purchase run with an unknown behaviour or too many purchases', async () => {
      expectErrorResponse((await sandbox.http().post('/sandbox/purchases').send({ behaviour: 'dither' }).expect(400)).body, 400, { errorReason: '$.behaviour' });
      expectErrorResponse((await sandbox.http().post('/sandbox/purchases').send({ behaviour: 'approve', count: 10_000 }).expect(400)).body, 400, { errorReason: '$.count' });
    });

    it('answers 400 for a session id that is not a UUID and 404 for one Enfuce ID never saw', async () => {
      expectErrorResponse((await sandbox.http().get('/sandbox/enfuce/sessions/not-a-uuid').expect(400)).body, 400, { errorReason: '$.path.sessionId' });
      expectErrorResponse((await sandbox.http().get('/sandbox/enfuce/sessions/00000000-0000-4000-8000-000000000000').expect(404)).body, 404, { errorCode: 'SESSION_NOT_FOUND' });
    });

    it('answers an unknown path with a 404 errorResponse', async () => {
      expectErrorResponse((await sandbox.http().post('/enfuceid/api/v2/callback/x').send({}).expect(404)).body, 404, { errorCode: 'ROUTE_NOT_FOUND' });
    });

    it('answers a challenge window opened with a broken or unknown CReq with 400, starting nothing', async () => {
      const broken = await sandbox.http().post('/acs/challenge').type('form').send({ creq: 'not-base64url-json' }).expect(400);
      expect(broken.text).toContain('not base64url-encoded JSON');
      const creq = Buffer.from(JSON.stringify({ messageType: 'CReq', messageVersion: '2.2.0', threeDSServerTransID: '00000000-0000-4000-8000-000000000000', acsTransID: '00000000-0000-4000-8000-000000000001' })).toString('base64url');
      expect((await sandbox.http().post('/acs/challenge').type('form').send({ creq }).expect(400)).text).toContain('No such transaction');
    });

    it('refuses an order for a card that is not a sandbox test card', async () => {
      const response = await sandbox.http().post('/shop/api/orders').send({ itemId: 'coffee', cardNumber: '4111111111111111' }).expect(400);
      expectErrorResponse(response.body, 400, { errorReason: '$.cardNumber' });
    });
  });
});
