import { useAssentUnderTest, EnrolledDevice, INSTITUTION, newCustomerNumber, newSessionId } from '../support/assent-under-test';

describe('authentication flow: webhook → push → decision → callback', () => {
  const system = useAssentUnderTest({ authTimeoutSeconds: 30 });

  /** The worker's log lines about one session's jobs in one queue, once there are `count` of them. */
  async function jobLogLines(sessionId: string, queue: string, count: number): Promise<Record<string, unknown>[]> {
    const deadline = Date.now() + 5000;
    for (;;) {
      const lines = system.workers[0].logs
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .filter((line) => line.sessionId === sessionId && line.queue === queue && typeof line.attempt === 'number');
      if (lines.length >= count || Date.now() > deadline) return lines;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async function pushFor(device: EnrolledDevice, sessionId: string) {
    const [push] = await system.pushService.waitForMessages(
      (message) => message.subscriptionId === device.subscription!.id && message.payload.sessionId === sessionId,
    );
    return push;
  }

  it('delivers SUCCESS once when the cardholder approves with a passkey bound to the transaction', async () => {
    const device = await system.enrollDevice();
    const sessionId = newSessionId();

    await system.webhook(device.customerNumber, sessionId).expect(200);

    const push = await pushFor(device, sessionId);
    expect(push.payload).toEqual({
      sessionId,
      title: 'Approve €3.14 at Airline of the world inc.?',
      body: expect.stringContaining('9554'),
      url: `${system.apiUrl}/app/challenges/${sessionId}`,
      expiresAt: expect.any(String),
      amount: { amount: 3.14, currency: 'EUR' },
      merchant: { name: 'Airline of the world inc.' },
      cardNumber: '342170______9554',
    });
    expect(push.urgency).toBe('high');
    expect(push.ttl).toBeGreaterThan(25);
    expect(push.ttl).toBeLessThanOrEqual(30);

    const decision = await system.approve(device, sessionId);
    expect(decision.status).toBe(200);
    expect(decision.body).toEqual({ result: 'SUCCESS', approvalToken: { token: expect.any(String), expiresAt: expect.any(String) } });

    const callback = await system.enfuce.waitForCallback(sessionId);
    expect(callback).toMatchObject({ institutionCode: INSTITUTION, customerNumber: device.customerNumber, result: 'SUCCESS' });
    const summary = await system.settledSummary(sessionId);
    expect(summary).toMatchObject({ result: 'SUCCESS', state: 'APPROVED', callback_outcome: 'delivered', decided_by_device_id: device.deviceId });
    expect(summary.card_number_masked).toBe('342170______9554');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(system.enfuce.callbacksFor(sessionId)).toHaveLength(1);
  });

  it('delivers FAIL when the cardholder declines, keeping the "not me" reason', async () => {
    const device = await system.enrollDevice();
    const sessionId = newSessionId();
    await system.webhook(device.customerNumber, sessionId).expect(200);
    await pushFor(device, sessionId);

    const decision = await system.decline(device, sessionId, 'not_me');
    expect(decision.status).toBe(200);
    expect(decision.body).toEqual({ result: 'FAIL' });

    expect((await system.enfuce.waitForCallback(sessionId)).result).toBe('FAIL');
    expect(await system.settledSummary(sessionId)).toMatchObject({ result: 'FAIL', decline_reason: 'not_me' });
  });

  it('answers 409 to a decision on a session already decided, and the callback stays single', async () => {
    const device = await system.enrollDevice();
    const sessionId = newSessionId();
    await system.webhook(device.customerNumber, sessionId).expect(200);
    await system.decline(device, sessionId).expect(200);

    const again = await system.approve(device, sessionId);
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: '409', errorCode: 'SESSION_ALREADY_DECIDED' });

    await system.enfuce.waitForCallback(sessionId);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(system.enfuce.callbacksFor(sessionId).map((callback) => callback.result)).toEqual(['FAIL']);
  });

  it('lets exactly one of two devices decide when both answer at once', async () => {
    const first = await system.enrollDevice();
    const second = await system.enrollDevice({ customerNumber: first.customerNumber });
    const sessionId = newSessionId();
    await system.webhook(first.customerNumber, sessionId).expect(200);
    await Promise.all([pushFor(first, sessionId), pushFor(second, sessionId)]);

    const optionsFirst = await system
      .http()
      .post(`/api/v1/device/challenges/${sessionId}/assertion-options`)
      .set('authorization', `Bearer ${first.token}`)
      .expect(200);
    const decisions = await Promise.all([
      system
        .http()
        .post(`/api/v1/device/challenges/${sessionId}/decision`)
        .set('authorization', `Bearer ${first.token}`)
        .send({ decision: 'approve', credential: first.authenticator.assert(optionsFirst.body) }),
      system.decline(second, sessionId),
      system.decline(first, sessionId),
    ]);
    const statuses = decisions.map((response) => response.status).sort();
    expect(statuses).toEqual([200, 409, 409]);

    const winner = decisions.find((response) => response.status === 200)!.body.result;
    expect((await system.enfuce.waitForCallback(sessionId)).result).toBe(winner);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(system.enfuce.callbacksFor(sessionId)).toHaveLength(1);
  });

  it('treats a retried webhook as the same session: one push, one callback', async () => {
    const device = await system.enrollDevice();
    const sessionId = newSessionId();
    const body = system.webhookBody(device.customerNumber, sessionId);
    await system.webhook(device.customerNumber, sessionId, body).expect(200);
    await system.webhook(device.customerNumber, sessionId, body).expect(200);
    await pushFor(device, sessionId);
    await system.webhook(device.customerNumber, sessionId, body).expect(200);

    await system.decline(device, sessionId).expect(200);
    await system.enfuce.waitForCallback(sessionId);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(system.pushService.messages.filter((message) => message.payload.sessionId === sessionId)).toHaveLength(1);
    expect(system.enfuce.callbacksFor(sessionId)).toHaveLength(1);
  });

  it('answers 409 to the same sessionId with a different body, and keeps the first', async () => {
    const device = await system.enrollDevice();
    const sessionId = newSessionId();
    await system.webhook(device.customerNumber, sessionId).expect(200);
    const changed = system.webhookBody(device.customerNumber, sessionId, {
      transaction: { amount: { amount: 999.99, currency: 'EUR' } },
    });
    const conflict = await system.webhook(device.customerNumber, sessionId, changed).expect(409);
    expect(conflict.body).toMatchObject({ code: '409', errorCode: 'SESSION_CONFLICT', errorType: 'DYNAMIC_VALIDATION_ERROR' });

    const pending = await system.http().get('/api/v1/device/challenges').set('authorization', `Bearer ${device.token}`).expect(200);
    expect(pending.body).toEqual([expect.objectContaining({ sessionId, amount: { amount: 3.14, currency: 'EUR' } })]);
  });

  it('retries a failing callback endpoint with backoff until it recovers, and records every attempt', async () => {
    const device = await system.enrollDevice();
    const sessionId = newSessionId();
    await system.webhook(device.customerNumber, sessionId).expect(200);
    system.enfuce.failNext({ status: 503 }, 'drop', { status: 429 });
    await system.decline(device, sessionId).expect(200);

    expect((await system.enfuce.waitForCallback(sessionId)).result).toBe('FAIL');
    const summary = await system.settledSummary(sessionId);
    expect(summary.callback_outcome).toBe('delivered');
    const { rows } = await system.db.query('SELECT attempt, status_code, error FROM callback_attempts WHERE session_id = $1 ORDER BY attempt', [sessionId]);
    expect(rows.map((row) => row.status_code)).toEqual([503, null, 429, 200]);
    expect(rows.map((row) => row.attempt)).toEqual([1, 2, 3, 4]);
    expect(system.enfuce.callbacksFor(sessionId)).toHaveLength(1);

    // One log line per job attempt, each naming the session and the cardholder.
    const callbackJobLines = await jobLogLines(sessionId, 'callback', 4);
    expect(callbackJobLines.map((line) => [line.msg, line.attempt])).toEqual([
      ['Job failed; it will be retried', 1],
      ['Job failed; it will be retried', 2],
      ['Job failed; it will be retried', 3],
      ['Job completed', 4],
    ]);
    const [pushJobLine] = await jobLogLines(sessionId, 'push', 1);
    expect(pushJobLine).toMatchObject({ msg: 'Job completed', job: 'push-challenge', result: 'reachable', attempt: 1 });
    for (const line of [...callbackJobLines, pushJobLine]) {
      expect(line).toMatchObject({ customerNumber: device.customerNumber, durationMs: expect.any(Number) });
    }
  });

  it('stops delivering when Enfuce refuses the callback with a 4xx that is not worth retrying', async () => {
    const device = await system.enrollDevice();
    const sessionId = newSessionId();
    await system.webhook(device.customerNumber, sessionId).expect(200);
    const before = system.enfuce.requests;
    system.enfuce.failNext({ status: 404 });
    await system.decline(device, sessionId).expect(200);

    const summary = await system.settledSummary(sessionId);
    expect(summary.callback_outcome).toBe('rejected');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(system.enfuce.requests - before).toBe(1);
  });

  it('ends in ERROR at once when every push fails for good and no device polls', async () => {
    const device = await system.enrollDevice();
    system.pushService.respondWith(device.subscription!.id, { status: 410 });
    const sessionId = newSessionId();
    const started = Date.now();
    await system.webhook(device.customerNumber, sessionId).expect(200);

    const callback = await system.enfuce.waitForCallback(sessionId);
    expect(callback.result).toBe('ERROR');
    expect(callback.receivedAt - started).toBeLessThan(5000);
    const { rows } = await system.db.query('SELECT push_status, push_subscription FROM devices WHERE id = $1', [device.deviceId]);
    expect(rows[0]).toEqual({ push_status: 'expired', push_subscription: null });
  });

  it('keeps waiting for a device in poll mode, which finds the challenge by polling', async () => {
    const device = await system.enrollDevice({ push: false });
    const sessionId = newSessionId();
    await system.webhook(device.customerNumber, sessionId).expect(200);

    const pending = await system.http().get('/api/v1/device/challenges').set('authorization', `Bearer ${device.token}`).expect(200);
    expect(pending.body).toEqual([
      {
        sessionId,
        merchant: { name: 'Airline of the world inc.', description: 'Airline ticket', country: 'FIN', url: 'https://www.airline.com/order/64674' },
        amount: { amount: 3.14, currency: 'EUR' },
        cardNumber: '342170______9554',
        expiresAt: expect.any(String),
      },
    ]);
    expect((await system.approve(device, sessionId)).status).toBe(200);
    expect((await system.enfuce.waitForCallback(sessionId)).result).toBe('SUCCESS');
    const after = await system.http().get('/api/v1/device/challenges').set('authorization', `Bearer ${device.token}`).expect(200);
    expect(after.body).toEqual([]);
  });

  it('answers 404 for a cardholder without an active device, from Redis alone', async () => {
    const response = await system.webhook(newCustomerNumber(), newSessionId()).expect(404);
    expect(response.body).toMatchObject({ code: '404', errorCode: 'NO_ACTIVE_DEVICE' });
  });
});
