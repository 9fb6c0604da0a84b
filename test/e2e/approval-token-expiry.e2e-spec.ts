/**
 * Approval tokens are short-lived: with APPROVAL_TOKEN_TTL_SECONDS set low, a token
 * stops proving anything once it expires, while an answer already given stays the
 * answer to that request (seed 004's idempotency).
 */
import { randomBytes } from 'node:crypto';
import { ISSUER_CREDENTIALS, newSessionId, useAssentUnderTest } from '../support/assent-under-test';

const TTL_SECONDS = 4;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('approval token expiry', () => {
  const system = useAssentUnderTest({ authTimeoutSeconds: 30, extraEnv: { APPROVAL_TOKEN_TTL_SECONDS: String(TTL_SECONDS) } });

  function authenticateWithToken(token: string, customerNumber: string, requestId = randomBytes(9).toString('base64url')) {
    return system
      .http()
      .post('/api/v1/authenticate-with-token')
      .auth(ISSUER_CREDENTIALS.username, ISSUER_CREDENTIALS.password)
      .send({
        requestHeader: {
          protocolVersion: { major: 1 },
          requestId,
          requestTimestamp: { epochMillis: '1481899949605' },
          paymentIntegratorAccountId: 'testbank_EUR',
        },
        existingToken: { approvalToken: { token, customerNumber } },
      });
  }

  it('answers authenticationFailed once the token has expired, yet replays the success it gave before', async () => {
    const device = await system.enrollDevice({ push: false });
    const sessionId = newSessionId();
    await system.webhook(device.customerNumber, sessionId).expect(200);
    const decision = await system.approve(device, sessionId);
    expect(decision.status).toBe(200);
    const { token, expiresAt } = decision.body.approvalToken;
    expect(Date.parse(expiresAt) - Date.now()).toBeLessThanOrEqual(TTL_SECONDS * 1000);

    const requestId = `before-expiry-${randomBytes(6).toString('hex')}`;
    const beforeExpiry = await authenticateWithToken(token, device.customerNumber, requestId).expect(200);
    expect(beforeExpiry.body.result).toEqual({ success: {} });
    expect(Date.now()).toBeLessThan(Date.parse(expiresAt));

    await sleep(Date.parse(expiresAt) - Date.now() + 250);

    const afterExpiry = await authenticateWithToken(token, device.customerNumber).expect(200);
    expect(afterExpiry.body.result).toEqual({ authenticationFailed: {} });
    const { rows } = await system.db.query(
      "SELECT details->>'reason' AS reason FROM audit_events WHERE type = 'approval_token.verified' AND session_id = $1 AND details->>'result' = 'authenticationFailed'",
      [sessionId],
    );
    expect(rows).toEqual([{ reason: 'expired' }]);

    expect((await authenticateWithToken(token, device.customerNumber, requestId).expect(200)).body).toEqual(beforeExpiry.body);
    const fetched = await system.http().get(`/api/v1/sessions/${sessionId}/approval-token`).auth(ISSUER_CREDENTIALS.username, ISSUER_CREDENTIALS.password).expect(200);
    expect(fetched.body).toMatchObject({ token, status: 'expired' });
  });
});
