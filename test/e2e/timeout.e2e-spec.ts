import { useAssentUnderTest, newSessionId } from '../support/assent-under-test';

describe('timeout: no answer within AUTH_TIMEOUT_SECONDS', () => {
  const system = useAssentUnderTest({ authTimeoutSeconds: 2 });

  it('delivers TIMEOUT once, close to the configured timeout, and refuses a late decision with 409', async () => {
    const device = await system.enrollDevice();
    const sessionId = newSessionId();
    const sentAt = Date.now();
    await system.webhook(device.customerNumber, sessionId).expect(200);
    await system.pushService.waitForMessages((message) => message.payload.sessionId === sessionId);

    const callback = await system.enfuce.waitForCallback(sessionId, 10000);
    expect(callback.result).toBe('TIMEOUT');
    const elapsed = callback.receivedAt - sentAt;
    expect(elapsed).toBeGreaterThanOrEqual(2000);
    expect(elapsed).toBeLessThan(3500);

    const late = await system.decline(device, sessionId);
    expect(late.status).toBe(409);
    expect(late.body.errorCode).toBe('SESSION_ALREADY_DECIDED');
    const shown = await system.http().get(`/api/v1/device/challenges/${sessionId}`).set('authorization', `Bearer ${device.token}`).expect(200);
    expect(shown.body.state).toBe('TIMEOUT');

    const summary = await system.settledSummary(sessionId);
    expect(summary).toMatchObject({ state: 'TIMEOUT', result: 'TIMEOUT', callback_outcome: 'delivered' });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(system.enfuce.callbacksFor(sessionId)).toHaveLength(1);
  });

  it('lets a decision and the timeout race without ever sending two results', async () => {
    const device = await system.enrollDevice({ push: false });
    const sessionIds = Array.from({ length: 6 }, () => newSessionId());
    for (const sessionId of sessionIds) await system.webhook(device.customerNumber, sessionId).expect(200);

    // Decline each one right around the moment its timeout fires.
    await new Promise((resolve) => setTimeout(resolve, 1900));
    const answers = await Promise.all(sessionIds.map((sessionId) => system.decline(device, sessionId)));
    for (const answer of answers) expect([200, 409]).toContain(answer.status);

    for (const [index, sessionId] of sessionIds.entries()) {
      const callback = await system.enfuce.waitForCallback(sessionId, 10000);
      expect(callback.result).toBe(answers[index].status === 200 ? 'FAIL' : 'TIMEOUT');
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    for (const sessionId of sessionIds) expect(system.enfuce.callbacksFor(sessionId)).toHaveLength(1);
  });
});
