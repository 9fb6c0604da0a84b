import { ENFUCE_DEADLINE_SECONDS } from '@assent/domain';
import { newSessionId, sleep, useAssentUnderTest } from '../support/assent-under-test';

const OUTAGE_MS = 60_000;
const DEADLINE_MS = ENFUCE_DEADLINE_SECONDS * 1000;

describe("Enfuce's callback endpoint down for 60 s", () => {
  const system = useAssentUnderTest({ authTimeoutSeconds: 120, callbackAttemptTimeoutMs: 2000 });

  /**
   * Enfuce's deadline is fixed at 150 s after its webhook, so this takes that long:
   * one session is received 95 s before the outage and so reaches its deadline while
   * Enfuce is still down; another is received as the outage starts.
   */
  it('delivers once when it comes back if the deadline allows, and gives up at the deadline otherwise', async () => {
    const device = await system.enrollDevice({ push: false });
    const late = newSessionId();
    await system.webhook(device.customerNumber, late).expect(200);
    await sleep(DEADLINE_MS - OUTAGE_MS + 5000 - 200);

    await system.enfuce.goDown();
    const downAt = Date.now();
    const early = newSessionId();
    await system.webhook(device.customerNumber, early).expect(200);
    await system.decline(device, early).expect(200);
    await system.decline(device, late).expect(200);
    await sleep(OUTAGE_MS - (Date.now() - downAt));
    await system.enfuce.comeBack();
    const upAt = Date.now();

    // The session whose deadline allows it: delivered once, soon after Enfuce is back.
    const delivered = await system.enfuce.waitForCallback(early, 20000);
    expect(delivered.result).toBe('FAIL');
    expect((await system.settledSummary(early)).callback_outcome).toBe('delivered');

    // The other: its deadline passed during the outage, so nothing was sent after it, and nothing now.
    const lateSummary = await system.settledSummary(late, 15000);
    expect(lateSummary.callback_outcome).toBe('deadline_passed');
    const { rows: lateAttempts } = await system.db.query<{ started_at: Date }>('SELECT started_at FROM callback_attempts WHERE session_id = $1 ORDER BY attempt', [late]);
    const lastStart = Math.max(...lateAttempts.map((attempt) => attempt.started_at.getTime()));
    expect(lateAttempts.length).toBeGreaterThan(3);
    const lateDeadline = lateSummary.received_at.getTime() + DEADLINE_MS;
    expect(lastStart).toBeLessThan(lateDeadline);
    await sleep(3000);
    expect(system.enfuce.callbacksFor(late)).toHaveLength(0);
    expect(system.enfuce.callbacksFor(early)).toHaveLength(1);

    const { rows: earlyAttempts } = await system.db.query('SELECT count(*)::int AS n FROM callback_attempts WHERE session_id = $1', [early]);
    console.log(
      `Enfuce down ${Math.round((upAt - downAt) / 1000)} s: the session it could wait for was delivered once, ${delivered.receivedAt - upAt} ms after Enfuce came back, ` +
        `after ${earlyAttempts[0].n} attempts; the one whose deadline fell in the outage made ${lateAttempts.length} attempts, ` +
        `the last ${lateDeadline - lastStart} ms before its deadline, and was recorded deadline_passed`,
    );
  }, 240_000);
});
