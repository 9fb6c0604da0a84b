/**
 * Proof of authentication: every SUCCESS mints an approval token, which the issuer's
 * systems verify with POST /api/v1/authenticate-with-token, Google Standard Payments'
 * authenticateWithToken (seed 004), against the built processes on real Redis and Postgres.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import { EnrolledDevice, ISSUER_CREDENTIALS, newSessionId, useAssentUnderTest } from '../support/assent-under-test';
import { ErrorType, expectErrorResponse } from '../support/error-response';

const ACCOUNT = 'testbank_EUR';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function answered(result: 'success' | 'authenticationFailed') {
  return { responseHeader: { responseTimestamp: { epochMillis: expect.stringMatching(/^\d{13}$/) } }, result: { [result]: {} } };
}

describe('approval tokens: proof of a SUCCESS, verified with authenticateWithToken', () => {
  const system = useAssentUnderTest({ authTimeoutSeconds: 30 });

  interface Approval {
    device: EnrolledDevice;
    sessionId: string;
    token: string;
    expiresAt: string;
    decisionCacheControl: string;
  }

  /** A cardholder approves a purchase of €3.14 at Airline of the world inc. (the harness's webhook). */
  async function approvedSession(device?: EnrolledDevice): Promise<Approval> {
    const approver = device ?? (await system.enrollDevice({ push: false }));
    const sessionId = newSessionId();
    await system.webhook(approver.customerNumber, sessionId).expect(200);
    const decision = await system.approve(approver, sessionId);
    expect(decision.status).toBe(200);
    const { token, expiresAt } = decision.body.approvalToken;
    return { device: approver, sessionId, token, expiresAt, decisionCacheControl: decision.headers['cache-control'] };
  }

  function verificationRequest(approvalToken: Record<string, unknown>, header: Record<string, unknown> = {}) {
    return {
      requestHeader: {
        protocolVersion: { major: 1 },
        requestId: randomBytes(9).toString('base64url'),
        requestTimestamp: { epochMillis: String(Date.now()) },
        paymentIntegratorAccountId: ACCOUNT,
        ...header,
      },
      existingToken: { approvalToken },
    };
  }

  /** The proof the issuer's authorization service asks for: this cardholder approved this purchase. */
  function proofOf(approval: Approval, overrides: Record<string, unknown> = {}) {
    return verificationRequest({
      token: approval.token,
      customerNumber: approval.device.customerNumber,
      sessionId: approval.sessionId,
      amount: { amount: 3.14, currency: 'EUR' },
      merchantName: 'Airline of the world inc.',
      ...overrides,
    });
  }

  function authenticateWithToken(body: object | string) {
    return system.http().post('/api/v1/authenticate-with-token').auth(ISSUER_CREDENTIALS.username, ISSUER_CREDENTIALS.password).type('json').send(body);
  }

  function approvalTokenOf(sessionId: string) {
    return system.http().get(`/api/v1/sessions/${sessionId}/approval-token`).auth(ISSUER_CREDENTIALS.username, ISSUER_CREDENTIALS.password);
  }

  function removeDevice(device: EnrolledDevice) {
    return system.http().delete('/api/v1/device').set('authorization', `Bearer ${device.token}`).expect(204);
  }

  function expectError(response: Response, status: number, errorType: ErrorType, errorCode: string, errorReason?: string): Promise<void> {
    return expectErrorResponse(system, response, status, { errorType, errorCode, errorReason });
  }

  /** The audit events of one authenticateWithToken requestId, oldest first. */
  async function auditOf(requestId: string): Promise<Record<string, any>[]> {
    const { rows } = await system.db.query(
      `SELECT type, customer_number, session_id, device_id, details FROM audit_events
        WHERE details->'idempotencyKey'->>'requestId' = $1 ORDER BY id`,
      [requestId],
    );
    return rows;
  }

  async function reasonOf(request: ReturnType<typeof verificationRequest>): Promise<string> {
    const [event] = await auditOf(request.requestHeader.requestId);
    return event.details.reason;
  }

  it('mints an opaque approval token on SUCCESS, which proves that cardholder approved that purchase', async () => {
    const approval = await approvedSession();
    expect(approval.decisionCacheControl).toBe('no-store');
    expect(approval.token).toMatch(/^apt_[A-Za-z0-9_-]{43}$/);
    expect(approval.token).not.toContain(approval.sessionId);
    expect(approval.token).not.toContain(approval.device.customerNumber);
    const lifetimeMs = Date.parse(approval.expiresAt) - Date.now();
    expect(lifetimeMs).toBeGreaterThan(590_000);
    expect(lifetimeMs).toBeLessThanOrEqual(600_000);

    const request = proofOf(approval);
    const response = await authenticateWithToken(request).expect(200);
    expect(response.body).toEqual(answered('success'));
    expect(Math.abs(Number(response.body.responseHeader.responseTimestamp.epochMillis) - Date.now())).toBeLessThan(10_000);

    // Naming only the cardholder is enough; the transaction fields are checked when given.
    const cardholderOnly = verificationRequest({ token: approval.token, customerNumber: approval.device.customerNumber });
    expect((await authenticateWithToken(cardholderOnly).expect(200)).body).toEqual(answered('success'));

    expect(await auditOf(request.requestHeader.requestId)).toEqual([
      {
        type: 'approval_token.verified',
        customer_number: approval.device.customerNumber,
        session_id: approval.sessionId,
        device_id: approval.device.deviceId,
        details: { idempotencyKey: { paymentIntegratorAccountId: ACCOUNT, requestId: request.requestHeader.requestId }, result: 'success', reason: null, replayed: false },
      },
    ]);
    // Postgres keeps only the token's hash, bound to what was approved.
    const { rows } = await system.db.query('SELECT * FROM approval_tokens WHERE session_id = $1', [approval.sessionId]);
    expect(rows).toEqual([
      expect.objectContaining({
        token_hash: createHash('sha256').update(approval.token).digest('base64url'),
        customer_number: approval.device.customerNumber,
        amount: '3.14',
        currency: 'EUR',
        merchant_name: 'Airline of the world inc.',
        device_id: approval.device.deviceId,
      }),
    ]);
    expect(JSON.stringify(rows)).not.toContain(approval.token);
  });

  it('gives the issuer the token of an approved session, and 404 for a session without one', async () => {
    const approval = await approvedSession();
    const fetched = await approvalTokenOf(approval.sessionId).expect(200);
    expect(fetched.body).toEqual({
      sessionId: approval.sessionId,
      customerNumber: approval.device.customerNumber,
      deviceId: approval.device.deviceId,
      token: approval.token,
      issuedAt: expect.any(String),
      expiresAt: approval.expiresAt,
      status: 'valid',
    });
    expect(fetched.headers['cache-control']).toBe('no-store');
    const { rows } = await system.db.query("SELECT 1 FROM audit_events WHERE type = 'approval_token.retrieved' AND session_id = $1", [approval.sessionId]);
    expect(rows).toHaveLength(1);

    const declined = newSessionId();
    await system.webhook(approval.device.customerNumber, declined).expect(200);
    expect((await system.decline(approval.device, declined).expect(200)).body).toEqual({ result: 'FAIL' });
    await expectError(await approvalTokenOf(declined), 404, 'DYNAMIC_VALIDATION_ERROR', 'APPROVAL_TOKEN_NOT_FOUND');
    await expectError(await approvalTokenOf(randomUUID()), 404, 'DYNAMIC_VALIDATION_ERROR', 'APPROVAL_TOKEN_NOT_FOUND');
    await expectError(await approvalTokenOf('not-a-uuid'), 400, 'STATIC_VALIDATION_ERROR', 'INVALID_FIELD', '$.path.sessionId');

    const anonymous = await system.http().get(`/api/v1/sessions/${approval.sessionId}/approval-token`);
    await expectError(anonymous, 401, 'SECURITY_ERROR', 'INVALID_CREDENTIALS');
    expect(anonymous.headers['www-authenticate']).toMatch(/^Basic\b/);
    const asDevice = await system.http().get(`/api/v1/sessions/${approval.sessionId}/approval-token`).set('authorization', `Bearer ${approval.device.token}`);
    await expectError(asDevice, 401, 'SECURITY_ERROR', 'INVALID_CREDENTIALS');
  });

  it('answers authenticationFailed for a tampered or invented token', async () => {
    const approval = await approvedSession();
    const last = approval.token.slice(-1);
    const tampered = [
      approval.token.slice(0, -1) + (last === 'A' ? 'B' : 'A'),
      approval.token.slice(0, -1),
      `${approval.token}A`,
      approval.token.toUpperCase(),
      `apt_${randomBytes(32).toString('base64url')}`,
    ];
    for (const token of tampered) {
      const request = proofOf(approval, { token });
      expect((await authenticateWithToken(request).expect(200)).body).toEqual(answered('authenticationFailed'));
      expect(await reasonOf(request)).toBe('unknown_token');
    }
    expect((await authenticateWithToken(proofOf(approval)).expect(200)).body).toEqual(answered('success'));
  });

  it('answers authenticationFailed for every token of a device once the device is removed, and only that device', async () => {
    const removed = await approvedSession();
    const kept = await approvedSession(await system.enrollDevice({ customerNumber: removed.device.customerNumber, push: false }));
    expect((await authenticateWithToken(proofOf(removed)).expect(200)).body).toEqual(answered('success'));

    await removeDevice(removed.device);

    const afterRemoval = proofOf(removed);
    expect((await authenticateWithToken(afterRemoval).expect(200)).body).toEqual(answered('authenticationFailed'));
    expect(await reasonOf(afterRemoval)).toBe('device_revoked');
    expect((await authenticateWithToken(proofOf(kept)).expect(200)).body).toEqual(answered('success'));
    expect((await approvalTokenOf(removed.sessionId).expect(200)).body.status).toBe('revoked');
    expect((await approvalTokenOf(kept.sessionId).expect(200)).body.status).toBe('valid');
  });

  it('answers authenticationFailed for a token presented as another cardholder’s proof', async () => {
    const maria = await approvedSession();
    const other = await approvedSession();
    const request = proofOf(maria, { customerNumber: other.device.customerNumber, sessionId: undefined });
    expect((await authenticateWithToken(request).expect(200)).body).toEqual(answered('authenticationFailed'));
    expect(await reasonOf(request)).toBe('customer_mismatch');
    const [event] = await auditOf(request.requestHeader.requestId);
    // The event names the cardholder asked about and links the session whose token was shown.
    expect(event).toMatchObject({ customer_number: other.device.customerNumber, session_id: maria.sessionId });
  });

  it('answers authenticationFailed when the purchase named is not the one approved', async () => {
    const approval = await approvedSession();
    const another = await approvedSession(approval.device);
    const mismatches: [Record<string, unknown>, string][] = [
      [{ sessionId: another.sessionId }, 'session_mismatch'],
      [{ amount: { amount: 3.15, currency: 'EUR' } }, 'amount_mismatch'],
      [{ amount: { amount: 3.14, currency: 'USD' } }, 'amount_mismatch'],
      [{ merchantName: 'Airline of the world' }, 'merchant_mismatch'],
    ];
    for (const [override, reason] of mismatches) {
      const request = proofOf(approval, override);
      expect((await authenticateWithToken(request).expect(200)).body).toEqual(answered('authenticationFailed'));
      expect(await reasonOf(request)).toBe(reason);
    }
  });

  it('returns the same answer to a replayed request, even after the device was removed', async () => {
    const approval = await approvedSession();
    const request = proofOf(approval);
    const first = await authenticateWithToken(request).expect(200);
    expect(first.body).toEqual(answered('success'));

    const replay = await authenticateWithToken(request).expect(200);
    expect(replay.body).toEqual(first.body);
    // The same request with other key order, whitespace and a field we do not know is still the same request.
    const respelled = JSON.stringify({ existingToken: request.existingToken, unknownField: 1, requestHeader: request.requestHeader }, null, 2);
    expect((await authenticateWithToken(respelled).expect(200)).body).toEqual(first.body);

    await removeDevice(approval.device);
    expect((await authenticateWithToken(request).expect(200)).body).toEqual(first.body);
    expect((await authenticateWithToken(proofOf(approval)).expect(200)).body).toEqual(answered('authenticationFailed'));

    const events = await auditOf(request.requestHeader.requestId);
    expect(events.map((event) => [event.type, event.details.result, event.details.replayed])).toEqual([
      ['approval_token.verified', 'success', false],
      ['approval_token.verified', 'success', true],
      ['approval_token.verified', 'success', true],
      ['approval_token.verified', 'success', true],
    ]);
  });

  it('replays an authenticationFailed answer as it was', async () => {
    const approval = await approvedSession();
    const request = proofOf(approval, { merchantName: 'Somebody else' });
    const first = await authenticateWithToken(request).expect(200);
    expect(first.body).toEqual(answered('authenticationFailed'));
    expect((await authenticateWithToken(request).expect(200)).body).toEqual(first.body);
  });

  it('still replays an answer given more than 24 hours ago', async () => {
    const approval = await approvedSession();
    const request = proofOf(approval);
    const first = await authenticateWithToken(request).expect(200);
    const aged = await system.db.query(
      "UPDATE token_verifications SET created_at = now() - interval '25 hours' WHERE payment_integrator_account_id = $1 AND request_id = $2",
      [ACCOUNT, request.requestHeader.requestId],
    );
    expect(aged.rowCount).toBe(1);
    await removeDevice(approval.device);
    expect((await authenticateWithToken(request).expect(200)).body).toEqual(first.body);
  });

  it('answers 412 to a different request under a used requestId and paymentIntegratorAccountId, and keeps the first answer', async () => {
    const approval = await approvedSession();
    const someoneElse = await approvedSession();
    const request = proofOf(approval);
    const first = await authenticateWithToken(request).expect(200);

    const differentToken = { ...proofOf(someoneElse), requestHeader: request.requestHeader };
    const conflict = await authenticateWithToken(differentToken);
    await expectError(conflict, 412, 'DYNAMIC_VALIDATION_ERROR', 'IDEMPOTENCY_KEY_REUSED', '$.requestHeader.requestId');
    const otherTimestamp = { ...request, requestHeader: { ...request.requestHeader, requestTimestamp: { epochMillis: String(Date.now() + 1) } } };
    await expectError(await authenticateWithToken(otherTimestamp), 412, 'DYNAMIC_VALIDATION_ERROR', 'IDEMPOTENCY_KEY_REUSED');

    expect((await authenticateWithToken(request).expect(200)).body).toEqual(first.body);
    const events = await auditOf(request.requestHeader.requestId);
    expect(events.map((event) => event.type)).toEqual([
      'approval_token.verified',
      'approval_token.request_conflict',
      'approval_token.request_conflict',
      'approval_token.verified',
    ]);

    // The key is the pair: the same requestId from another account is a request of its own.
    const otherAccount = { ...differentToken, requestHeader: { ...request.requestHeader, paymentIntegratorAccountId: 'otherbank_EUR' } };
    expect((await authenticateWithToken(otherAccount).expect(200)).body).toEqual(answered('success'));
  });

  it('answers one of two racing requests under one key and gives the other the same answer, or 412 if it differs', async () => {
    const approval = await approvedSession();
    const request = proofOf(approval);
    const [a, b] = await Promise.all([authenticateWithToken(request), authenticateWithToken(request)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(a.body).toEqual(b.body);

    const raced = proofOf(approval);
    const differing = proofOf(approval, { customerNumber: '999999999' });
    differing.requestHeader = raced.requestHeader;
    const answers = await Promise.all([authenticateWithToken(raced), authenticateWithToken(differing)]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 412]);
    const { rows } = await system.db.query('SELECT count(*)::int AS n FROM token_verifications WHERE request_id = $1', [raced.requestHeader.requestId]);
    expect(rows[0].n).toBe(1);
  });

  describe('malformed requests: 400 naming the field, nothing stored', () => {
    const cases: [string, (request: ReturnType<typeof verificationRequest>) => unknown, string][] = [
      ['no requestHeader', ({ existingToken }) => ({ existingToken }), '$.requestHeader'],
      ['no requestId', (r) => ({ ...r, requestHeader: { ...r.requestHeader, requestId: undefined } }), '$.requestHeader.requestId'],
      ['an empty requestId', (r) => ({ ...r, requestHeader: { ...r.requestHeader, requestId: '' } }), '$.requestHeader.requestId'],
      ['a requestId over 100 characters', (r) => ({ ...r, requestHeader: { ...r.requestHeader, requestId: 'r'.repeat(101) } }), '$.requestHeader.requestId'],
      ['a requestId with a space', (r) => ({ ...r, requestHeader: { ...r.requestHeader, requestId: 'request 1' } }), '$.requestHeader.requestId'],
      ['a requestId that is a number', (r) => ({ ...r, requestHeader: { ...r.requestHeader, requestId: 42 } }), '$.requestHeader.requestId'],
      ['protocol version 2', (r) => ({ ...r, requestHeader: { ...r.requestHeader, protocolVersion: { major: 2 } } }), '$.requestHeader.protocolVersion.major'],
      ['no protocolVersion', (r) => ({ ...r, requestHeader: { ...r.requestHeader, protocolVersion: undefined } }), '$.requestHeader.protocolVersion'],
      ['epochMillis as a JSON number', (r) => ({ ...r, requestHeader: { ...r.requestHeader, requestTimestamp: { epochMillis: 1481899949605 } } }), '$.requestHeader.requestTimestamp.epochMillis'],
      ['epochMillis that is not digits', (r) => ({ ...r, requestHeader: { ...r.requestHeader, requestTimestamp: { epochMillis: '2026-11-22T10:15:30Z' } } }), '$.requestHeader.requestTimestamp.epochMillis'],
      ['no paymentIntegratorAccountId', (r) => ({ ...r, requestHeader: { ...r.requestHeader, paymentIntegratorAccountId: undefined } }), '$.requestHeader.paymentIntegratorAccountId'],
      ['a requestHeader that is a string', (r) => ({ ...r, requestHeader: 'cmVxdWVzdDF' }), '$.requestHeader'],
      ['an operatorUserToken instead of an approvalToken', (r) => ({ ...r, existingToken: { operatorUserToken: { token: 'Zr9Pd118pzTyFtHFkBGj', issuerId: { value: 'InvisiCashUSA' } } } }), '$.existingToken.approvalToken'],
      ['no customerNumber with the token', (r) => ({ ...r, existingToken: { approvalToken: { ...r.existingToken.approvalToken, customerNumber: undefined } } }), '$.existingToken.approvalToken.customerNumber'],
      ['an empty token', (r) => ({ ...r, existingToken: { approvalToken: { ...r.existingToken.approvalToken, token: '' } } }), '$.existingToken.approvalToken.token'],
      ['a sessionId that is not a UUID', (r) => ({ ...r, existingToken: { approvalToken: { ...r.existingToken.approvalToken, sessionId: 'abc' } } }), '$.existingToken.approvalToken.sessionId'],
    ];

    it.each(cases)('answers 400 to %s, and the requestId stays free', async (_name, malform, errorReason) => {
      const approval = await approvedSession();
      const request = proofOf(approval, { sessionId: undefined, amount: undefined, merchantName: undefined });
      const response = await authenticateWithToken(malform(request) as object);
      await expectError(response, 400, 'STATIC_VALIDATION_ERROR', 'INVALID_FIELD', errorReason);

      // An error is not an answer to replay: the corrected request under the same key is checked afresh.
      expect((await authenticateWithToken(request).expect(200)).body).toEqual(answered('success'));
    });

    it('answers 400 to a body that is not JSON', async () => {
      await expectError(await authenticateWithToken('{"requestHeader":'), 400, 'STATIC_VALIDATION_ERROR', 'INVALID_FIELD', '$');
    });

    it('answers 401 without the issuer credentials, and records no verification', async () => {
      const approval = await approvedSession();
      const request = proofOf(approval);
      const anonymous = await system.http().post('/api/v1/authenticate-with-token').send(request);
      await expectError(anonymous, 401, 'SECURITY_ERROR', 'INVALID_CREDENTIALS');
      expect(anonymous.headers['www-authenticate']).toMatch(/^Basic\b/);
      const wrongPassword = await system.http().post('/api/v1/authenticate-with-token').auth(ISSUER_CREDENTIALS.username, 'wrong').send(request);
      await expectError(wrongPassword, 401, 'SECURITY_ERROR', 'INVALID_CREDENTIALS');
      await sleep(200);
      expect(await auditOf(request.requestHeader.requestId)).toEqual([]);
      expect((await authenticateWithToken(request).expect(200)).body).toEqual(answered('success'));
    });
  });
});
