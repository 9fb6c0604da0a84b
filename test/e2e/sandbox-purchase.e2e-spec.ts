import { useSandboxUnderTest } from '../support/sandbox-under-test';

// Every purchase here crosses the whole chain over HTTP: merchant API → 3-D Secure
// server → directory server / ACS → Enfuce ID → the authenticator (API + worker)
// → a virtual cardholder's phone on the device API → callback → back to the merchant.
describe('a purchase through the sandbox, end to end', () => {
  // Short enough for the ignored purchase to time out quickly; long enough for a
  // late approval after a 3 s Enfuce deadline to still reach the authenticator.
  const { system, sandbox } = useSandboxUnderTest({ authTimeoutSeconds: 10 });

  afterEach(async () => {
    await sandbox.settings({ enfuce: { deadlineSeconds: 150, callbackFaults: { dropFirst: 0, unavailableFirst: 0, slowMs: 0 } } });
  });

  async function onePurchase(behaviour: string) {
    const report = await sandbox.purchases({ behaviour });
    expect(report.purchases).toHaveLength(1);
    return report.purchases[0];
  }

  it('ends authenticated, with eci and authenticationValue, when the cardholder approves on the phone', async () => {
    const purchase = await onePurchase('approve');

    expect(purchase.outcome).toBe('authenticated');
    expect(purchase.authentication).toEqual({
      version: '2.2.0',
      eci: '05',
      authenticationValue: expect.stringMatching(/^[A-Za-z0-9+/]{27}=$/),
      transactionId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    expect(purchase.enfuce.outcome).toMatchObject({ result: 'SUCCESS', source: 'callback' });
    expect(purchase.enfuce.callbacks.map((callback: any) => [callback.status, callback.result])).toEqual([[200, 'SUCCESS']]);
    expect(purchase.timeline.map((event: any) => event.party)).toEqual(expect.arrayContaining(['shop', 'merchant', '3ds-server', 'acs', 'enfuce-id', 'device', 'authenticator']));
    // The authenticator's own record agrees: approved, and delivered to the sandbox's Enfuce ID.
    expect(await system.settledSummary(purchase.enfuce.sessionId)).toMatchObject({ result: 'SUCCESS', state: 'APPROVED', callback_outcome: 'delivered' });
  });

  it('ends authenticationFailed when the cardholder declines on the phone', async () => {
    const purchase = await onePurchase('decline');

    expect(purchase.outcome).toBe('authenticationFailed');
    expect(purchase.authentication).toEqual({ version: '2.2.0', eci: '07' });
    expect(purchase.enfuce.outcome).toMatchObject({ result: 'FAIL', source: 'callback' });
    expect(await system.settledSummary(purchase.enfuce.sessionId)).toMatchObject({ result: 'FAIL', state: 'DECLINED' });
  });

  it('ends TIMEOUT at Enfuce ID and unavailable at the merchant when the cardholder never answers', async () => {
    const purchase = await onePurchase('ignore');

    expect(purchase.outcome).toBe('unavailable');
    expect(purchase.enfuce.outcome).toMatchObject({ result: 'TIMEOUT', source: 'callback' });
    expect(purchase.enfuce.callbacks.map((callback: any) => [callback.status, callback.result])).toEqual([[200, 'TIMEOUT']]);
    // The authenticator timed out after AUTH_TIMEOUT_SECONDS, long before Enfuce ID's own 150 s.
    const elapsed = Date.parse(purchase.enfuce.outcome.at) - Date.parse(purchase.timeline[0].at);
    expect(elapsed).toBeGreaterThanOrEqual(10_000);
    expect(elapsed).toBeLessThan(30_000);
  });

  it('still ends authenticated when Enfuce ID answers the first two callbacks with 503', async () => {
    await sandbox.settings({ enfuce: { callbackFaults: { unavailableFirst: 2 } } });

    const purchase = await onePurchase('approve');

    expect(purchase.outcome).toBe('authenticated');
    expect(purchase.enfuce.callbacks.map((callback: any) => callback.status)).toEqual([503, 503, 200]);
    const { rows } = await system.db.query('SELECT status_code FROM callback_attempts WHERE session_id = $1 ORDER BY attempt', [purchase.enfuce.sessionId]);
    expect(rows.map((row) => row.status_code)).toEqual([503, 503, 200]);
  });

  it('still ends authenticated when Enfuce ID drops the first callback’s connection and answers slowly', async () => {
    await sandbox.settings({ enfuce: { callbackFaults: { dropFirst: 1, slowMs: 300 } } });

    const purchase = await onePurchase('approve');

    expect(purchase.outcome).toBe('authenticated');
    expect(purchase.enfuce.callbacks.map((callback: any) => callback.status)).toEqual(['dropped', 200]);
  });

  it('refuses a callback that comes after its deadline, having told the ACS TIMEOUT', async () => {
    await sandbox.settings({ enfuce: { deadlineSeconds: 3 } });

    const purchase = await onePurchase('approve-late');

    // At the deadline Enfuce ID answers the ACS itself: the merchant hears "unavailable".
    expect(purchase.outcome).toBe('unavailable');
    expect(purchase.enfuce.outcome).toMatchObject({ result: 'TIMEOUT', source: 'deadline' });
    // The cardholder approves a second later; the authenticator accepts it and calls back, too late.
    const session = await sandbox.enfuceSessionWhen(purchase.enfuce.sessionId, (current) => current.callbacks.length > 0);
    expect(session.callbacks).toEqual([expect.objectContaining({ status: 403, result: 'SUCCESS', note: 'after the deadline: invalidated' })]);
    expect(session.outcome).toMatchObject({ result: 'TIMEOUT', source: 'deadline' });
    // A refusal is final for the authenticator: recorded as rejected, not retried.
    expect(await system.settledSummary(purchase.enfuce.sessionId)).toMatchObject({ result: 'SUCCESS', callback_outcome: 'rejected' });
  });

  it('runs many purchases at once, each ending at the merchant with its own Enfuce ID session', async () => {
    const report = await sandbox.purchases({ behaviour: 'approve', count: 8, concurrency: 8 });

    expect(report.outcomes).toEqual({ authenticated: 8 });
    const sessions = new Set(report.purchases.map((purchase: any) => purchase.enfuce.sessionId));
    expect(sessions.size).toBe(8);
    for (const purchase of report.purchases) expect(purchase.enfuce.callbacks.map((callback: any) => callback.status)).toEqual([200]);
  });
});
