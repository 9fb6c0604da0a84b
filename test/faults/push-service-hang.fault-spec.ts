import { EnrolledDevice, newSessionId, sleep, useAssentUnderTest } from '../support/assent-under-test';

describe('a push service that hangs', () => {
  const system = useAssentUnderTest({ pushRequestTimeoutMs: 4000, authTimeoutSeconds: 60 });

  it("times the hung push out, and meanwhile pushes the cardholder's other phone and everyone else at once", async () => {
    const hungPhone = await system.enrollDevice();
    const otherPhone = await system.enrollDevice({ customerNumber: hungPhone.customerNumber });
    system.pushService.respondWith(hungPhone.subscription!.id, 'hang');
    const others: EnrolledDevice[] = [];
    for (let i = 0; i < 5; i++) others.push(await system.enrollDevice());

    const sessionId = newSessionId();
    const otherSessions = others.map(() => newSessionId());
    const sentAt = Date.now();
    await system.webhook(hungPhone.customerNumber, sessionId).expect(200);
    await Promise.all(others.map((device, i) => system.webhook(device.customerNumber, otherSessions[i]).expect(200)));

    // Nobody waits for the hung request's 4 s timeout.
    const [push] = await system.pushService.waitForMessages((m) => m.subscriptionId === otherPhone.subscription!.id && m.payload.sessionId === sessionId);
    const pushedOthers = await Promise.all(
      otherSessions.map((id) => system.pushService.waitForMessages((m) => m.payload.sessionId === id).then(([message]) => message)),
    );
    const latest = Math.max(push.receivedAt, ...pushedOthers.map((message) => message.receivedAt)) - sentAt;
    expect(latest).toBeLessThan(2500);

    // The hung request times out, is retried (three attempts in all), and is recorded each time.
    let attempts: { outcome: string; error: string; duration_ms: number }[] = [];
    const deadline = Date.now() + 30000;
    while (attempts.length < 3 && Date.now() < deadline) {
      await sleep(200);
      ({ rows: attempts } = await system.db.query('SELECT outcome, error, duration_ms FROM push_deliveries WHERE session_id = $1 AND device_id = $2', [sessionId, hungPhone.deviceId]));
    }
    expect(attempts).toHaveLength(3);
    for (const attempt of attempts) {
      expect(attempt).toMatchObject({ outcome: 'transient', error: expect.stringMatching(/timeout/i) });
      expect(attempt.duration_ms).toBeGreaterThanOrEqual(4000);
    }

    // The phone that did get the push approves; Enfuce hears SUCCESS once, and the retries never pushed it twice.
    await system.approve(otherPhone, sessionId).then((answer) => expect(answer.status).toBe(200));
    expect((await system.enfuce.waitForCallback(sessionId)).result).toBe('SUCCESS');
    await sleep(500);
    expect(system.enfuce.callbacksFor(sessionId)).toHaveLength(1);
    expect(system.pushService.messages.filter((m) => m.payload.sessionId === sessionId)).toHaveLength(1);
    console.log(
      `Push service hangs for one of two phones: the other phone and ${others.length} other cardholders pushed within ${latest} ms; ` +
        `the hung push timed out ${attempts.length} times (${attempts.map((a) => a.duration_ms).join(', ')} ms); 1 SUCCESS delivered`,
    );
  }, 60_000);
});
