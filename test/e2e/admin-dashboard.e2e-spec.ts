import request from 'supertest';
import { AdminClient, auditEvents, LiveStream, waitForAuditEvents } from '../support/admin';
import { newCustomerNumber, newSessionId, useAssentUnderTest } from '../support/assent-under-test';
import { SoftAuthenticator } from '../../apps/sandbox/src/cardholder/soft-authenticator';

describe('operations dashboard API', () => {
  const system = useAssentUnderTest({ authTimeoutSeconds: 30 });
  let viewer: AdminClient;
  let operator: AdminClient;
  beforeAll(async () => {
    viewer = await AdminClient.as(system, 'viewer');
    operator = await AdminClient.as(system, 'operator');
  });

  async function pushed(sessionId: string) {
    await system.pushService.waitForMessages((message) => message.payload.sessionId === sessionId);
  }

  describe('live sessions', () => {
    it('streams a session as its webhook arrives, as it is decided, and as its callback is delivered', async () => {
      const stream = await LiveStream.open(viewer);
      try {
        const device = await system.enrollDevice();
        const sessionId = newSessionId();
        await system.webhook(device.customerNumber, sessionId).expect(200);
        const received = await stream.waitFor((e) => e.data?.type === 'session.received' && e.data.session.sessionId === sessionId);
        expect(received.data.session).toEqual({
          sessionId,
          customerNumber: device.customerNumber,
          merchantName: 'Airline of the world inc.',
          amount: 3.14,
          currency: 'EUR',
          cardNumber: '342170______9554',
          receivedAt: expect.any(Number),
        });

        await pushed(sessionId);
        await system.approve(device, sessionId).then((response) => expect(response.status).toBe(200));
        await stream.waitFor((e) => e.data?.type === 'callback.settled' && e.data.sessionId === sessionId);
        expect(stream.of(sessionId).map((event) => event.type)).toEqual(['session.received', 'session.settled', 'callback.settled']);
        expect(stream.of(sessionId)[1].session).toMatchObject({ state: 'APPROVED', decidedByDeviceId: device.deviceId });
        expect(stream.of(sessionId)[2]).toMatchObject({ callbackOutcome: 'delivered' });
      } finally {
        stream.close();
      }
    });

    it('publishes nothing for a retried webhook or a losing decision', async () => {
      const stream = await LiveStream.open(viewer);
      try {
        const device = await system.enrollDevice();
        const sessionId = newSessionId();
        const body = system.webhookBody(device.customerNumber, sessionId);
        await system.webhook(device.customerNumber, sessionId, body).expect(200);
        await system.webhook(device.customerNumber, sessionId, body).expect(200);
        await system.decline(device, sessionId).expect(200);
        await system.decline(device, sessionId).expect(409);
        await stream.waitFor((e) => e.data?.type === 'callback.settled' && e.data.sessionId === sessionId);
        await new Promise((resolve) => setTimeout(resolve, 300));
        expect(stream.of(sessionId).map((event) => event.type)).toEqual(['session.received', 'session.settled', 'callback.settled']);
      } finally {
        stream.close();
      }
    });

    it('refuses the stream to a signed-out browser', async () => {
      await request(system.apiUrl).get('/api/v1/admin/live').expect(401);
    });
  });

  describe('sessions and their timeline', () => {
    it('lists a cardholder’s sessions newest first, in pages linked by a cursor', async () => {
      const device = await system.enrollDevice();
      const sessionIds: string[] = [];
      for (let i = 0; i < 3; i++) {
        const sessionId = newSessionId();
        sessionIds.push(sessionId);
        await system.webhook(device.customerNumber, sessionId).expect(200);
        await pushed(sessionId);
      }
      const first = await viewer.get(`/api/v1/admin/sessions?customerNumber=${device.customerNumber}&limit=2`).expect(200);
      expect(first.body.items.map((row: { sessionId: string }) => row.sessionId)).toEqual([sessionIds[2], sessionIds[1]]);
      expect(first.body.items[0]).toMatchObject({ state: 'PENDING', result: null, merchantName: 'Airline of the world inc.', amount: 3.14, cardNumber: '342170______9554' });
      const second = await viewer.get(`/api/v1/admin/sessions?customerNumber=${device.customerNumber}&limit=2&cursor=${first.body.nextCursor}`).expect(200);
      expect(second.body).toEqual({ items: [expect.objectContaining({ sessionId: sessionIds[0] })], nextCursor: null });
    });

    it('shows a decision at once, from Redis, before the worker has rewritten the summary', async () => {
      const device = await system.enrollDevice();
      const sessionId = newSessionId();
      await system.webhook(device.customerNumber, sessionId).expect(200);
      await pushed(sessionId);
      system.enfuce.failNext('hang');
      await system.decline(device, sessionId, 'not_me').expect(200);
      const { body } = await viewer.get(`/api/v1/admin/sessions?customerNumber=${device.customerNumber}`).expect(200);
      expect(body.items[0]).toMatchObject({ sessionId, state: 'DECLINED', result: 'FAIL', declineReason: 'not_me', callbackOutcome: null });
      // The hung callback is retried after its 2 s timeout; its summary must not land
      // in a later test's counts (the overview's before/after totals).
      await system.settledSummary(sessionId);
    });

    it('filters by result, merchant and "not me"', async () => {
      const device = await system.enrollDevice();
      const approved = newSessionId();
      const notMe = newSessionId();
      const merchant = `Shop ${Math.random().toString(36).slice(2, 8)}`;
      await system.webhook(device.customerNumber, approved).expect(200);
      await system.webhook(device.customerNumber, notMe, system.webhookBody(device.customerNumber, notMe, { merchant: { name: merchant } })).expect(200);
      await Promise.all([pushed(approved), pushed(notMe)]);
      expect((await system.approve(device, approved)).status).toBe(200);
      await system.decline(device, notMe, 'not_me').expect(200);
      await Promise.all([system.settledSummary(approved), system.settledSummary(notMe)]);

      const ids = async (query: string) =>
        (await viewer.get(`/api/v1/admin/sessions?customerNumber=${device.customerNumber}&${query}`).expect(200)).body.items.map((row: { sessionId: string }) => row.sessionId);
      expect(await ids('result=SUCCESS')).toEqual([approved]);
      expect(await ids('result=FAIL')).toEqual([notMe]);
      expect(await ids('result=PENDING')).toEqual([]);
      expect(await ids(`merchant=${encodeURIComponent(merchant.slice(2).toUpperCase())}`)).toEqual([notMe]);
      expect(await ids('notMe=true')).toEqual([notMe]);
      expect(await ids('merchant=%25')).toEqual([]);
    });

    it('refuses a malformed filter with the field named', async () => {
      const response = await viewer.get('/api/v1/admin/sessions?result=MAYBE').expect(400);
      expect(response.body).toMatchObject({ code: '400', errorType: 'STATIC_VALIDATION_ERROR', errorReason: '$.query.result' });
      expect((await viewer.get('/api/v1/admin/sessions?cursor=bm90LWpzb24').expect(400)).body.errorReason).toBe('$.query.cursor');
      expect((await viewer.get('/api/v1/admin/sessions?limit=5000').expect(400)).body.errorReason).toBe('$.query.limit');
    });

    it('tells the whole story of an approval: webhook, push and its answer, decision and how it was verified, each callback attempt, the end', async () => {
      const device = await system.enrollDevice({ name: 'Maria’s Pixel' });
      const sessionId = newSessionId();
      await system.webhook(device.customerNumber, sessionId).expect(200);
      await pushed(sessionId);
      system.enfuce.failNext({ status: 503 });
      expect((await system.approve(device, sessionId)).status).toBe(200);
      await system.settledSummary(sessionId);

      const { body } = await viewer.get(`/api/v1/admin/sessions/${sessionId}`).expect(200);
      expect(body.session).toMatchObject({ sessionId, result: 'SUCCESS', state: 'APPROVED', decidedByDeviceId: device.deviceId, callbackOutcome: 'delivered' });
      const kinds = body.events.map((event: { kind: string }) => event.kind);
      expect(kinds).toEqual(['webhook', 'push', 'opened', 'decision', 'settled', 'callback_attempt', 'callback_attempt', 'callback_settled']);
      const [webhook, push, opened, decision, , failedAttempt, deliveredAttempt] = body.events;
      expect(webhook.details).toEqual({ merchantName: 'Airline of the world inc.', merchantCountry: 'FIN', amount: 3.14, currency: 'EUR', cardNumber: '342170______9554' });
      expect(push).toMatchObject({ device: { id: device.deviceId, name: 'Maria’s Pixel' }, details: { outcome: 'accepted', statusCode: 201 } });
      expect(opened.device.id).toBe(device.deviceId);
      expect(decision).toMatchObject({
        device: { id: device.deviceId, name: 'Maria’s Pixel' },
        details: { decision: 'approve', method: 'passkey', userVerified: true, origin: system.apiUrl, credentialDeviceType: expect.any(String) },
      });
      expect(failedAttempt.details).toMatchObject({ attempt: 1, result: 'SUCCESS', statusCode: 503 });
      expect(deliveredAttempt.details).toMatchObject({ attempt: 2, result: 'SUCCESS', statusCode: 200 });
      const times = body.events.map((event: { at: string }) => Date.parse(event.at));
      expect([...times].sort((a, b) => a - b)).toEqual(times);
    });

    it('shows that a device in poll mode fetched and opened the challenge before the "not me" decline', async () => {
      const device = await system.enrollDevice({ push: false });
      const sessionId = newSessionId();
      await system.webhook(device.customerNumber, sessionId).expect(200);
      const pending = await system.http().get('/api/v1/device/challenges').set('authorization', `Bearer ${device.token}`).expect(200);
      expect(pending.body.map((challenge: { sessionId: string }) => challenge.sessionId)).toContain(sessionId);
      // Polling again records nothing new: only the first fetch counts.
      await system.http().get('/api/v1/device/challenges').set('authorization', `Bearer ${device.token}`).expect(200);
      await system.http().post(`/api/v1/device/challenges/${sessionId}/assertion-options`).set('authorization', `Bearer ${device.token}`).expect(200);
      await system.decline(device, sessionId, 'not_me').expect(200);
      await system.settledSummary(sessionId);

      const { body } = await viewer.get(`/api/v1/admin/sessions/${sessionId}`).expect(200);
      expect(body.events.map((event: { kind: string }) => event.kind)).toEqual(['webhook', 'fetched', 'opened', 'decision', 'settled', 'callback_attempt', 'callback_settled']);
      expect(body.events[3].details).toEqual({ decision: 'decline', reason: 'not_me' });
      expect(body.events[4].details).toMatchObject({ state: 'DECLINED', result: 'FAIL', declineReason: 'not_me' });
    });

    it('explains an ERROR: every push refused for good and no device in poll mode', async () => {
      const device = await system.enrollDevice();
      system.pushService.respondWith(device.subscription!.id, { status: 410 });
      const sessionId = newSessionId();
      await system.webhook(device.customerNumber, sessionId).expect(200);
      await system.settledSummary(sessionId);
      const { body } = await viewer.get(`/api/v1/admin/sessions/${sessionId}`).expect(200);
      expect(body.session).toMatchObject({ result: 'ERROR', errorReason: 'every push failed and no device is in poll mode' });
      expect(body.events.find((event: { kind: string }) => event.kind === 'push').details).toMatchObject({ outcome: 'expired', statusCode: 410 });
    });

    it('answers 404 for an unknown session and 400 for a malformed id', async () => {
      expect((await viewer.get(`/api/v1/admin/sessions/${newSessionId()}`).expect(404)).body.errorCode).toBe('SESSION_NOT_FOUND');
      expect((await viewer.get('/api/v1/admin/sessions/not-a-uuid').expect(400)).body.errorReason).toBe('$.path.sessionId');
    });
  });

  describe('overview', () => {
    it('counts the last hour’s authentications by result, with the decision time and the "not me" reports', async () => {
      const before = (await viewer.get('/api/v1/admin/overview?window=hour').expect(200)).body;
      const device = await system.enrollDevice();
      const approved = newSessionId();
      const notMe = newSessionId();
      await system.webhook(device.customerNumber, approved).expect(200);
      await system.webhook(device.customerNumber, notMe).expect(200);
      await Promise.all([pushed(approved), pushed(notMe)]);
      expect((await system.approve(device, approved)).status).toBe(200);
      await system.decline(device, notMe, 'not_me').expect(200);
      await Promise.all([system.settledSummary(approved), system.settledSummary(notMe)]);

      const after = (await viewer.get('/api/v1/admin/overview?window=hour').expect(200)).body;
      expect(after.totals.SUCCESS - before.totals.SUCCESS).toBe(1);
      expect(after.totals.FAIL - before.totals.FAIL).toBe(1);
      expect(after.totals.notMe - before.totals.notMe).toBe(1);
      expect(after.totals.push.sent - before.totals.push.sent).toBe(2);
      expect(after.totals.callback.delivered - before.totals.callback.delivered).toBe(2);
      expect(after.totals.decisionMs.p50).toBeGreaterThan(0);
      expect(after.totals.approvalRate).toBeGreaterThan(0);
      expect(after.notMe[0]).toMatchObject({ sessionId: notMe, declineReason: 'not_me' });
      expect(after.series).toHaveLength(60);
      expect(after.series.reduce((sum: number, bucket: { SUCCESS: number }) => sum + bucket.SUCCESS, 0)).toBe(after.totals.SUCCESS);
      expect((await viewer.get('/api/v1/admin/overview?window=day').expect(200)).body.series).toHaveLength(48);
    });
  });

  describe('cardholders and devices', () => {
    it('finds cardholders by the start of the customer number and shows their devices', async () => {
      const device = await system.enrollDevice({ name: 'Work phone' });
      await system.enrollDevice({ customerNumber: device.customerNumber, push: false, name: 'Tablet' });
      const search = await viewer.get(`/api/v1/admin/cardholders?q=${device.customerNumber.slice(0, 7)}`).expect(200);
      expect(search.body.items).toContainEqual(expect.objectContaining({ customerNumber: device.customerNumber, activeDevices: 2, displayName: 'Maria Test' }));

      const { body } = await viewer.get(`/api/v1/admin/cardholders/${device.customerNumber}`).expect(200);
      expect(body.devices.map((d: { name: string; mode: string; status: string }) => [d.name, d.mode, d.status])).toEqual([
        ['Tablet', 'poll', 'active'],
        ['Work phone', 'push', 'active'],
      ]);
      expect(body.enrollments).toHaveLength(2);
      expect(body.enrollments.every((e: { usedAt: string | null }) => e.usedAt)).toBe(true);
    });

    it('revokes a device: its token stops working, it leaves the device index so the webhook answers 404, and the operator is in the audit log', async () => {
      const device = await system.enrollDevice();
      const index = system.keys.devices(device.customerNumber);
      expect(await system.redis.smembers(index)).toEqual([device.deviceId]);

      const response = await operator.send('post', `/api/v1/admin/devices/${device.deviceId}/revoke`).expect(200);
      expect(response.body).toMatchObject({ id: device.deviceId, status: 'revoked', revokedAt: expect.any(String) });

      expect(await system.redis.smembers(index)).toEqual([]);
      await system.http().get('/api/v1/device').set('authorization', `Bearer ${device.token}`).expect(401);
      await system.webhook(device.customerNumber, newSessionId()).expect(404);
      const [revoked] = await auditEvents(system, 'device.revoked', { deviceId: device.deviceId });
      expect(revoked).toMatchObject({ actor: operator.account.email, customer_number: device.customerNumber, details: { by: 'admin' } });

      const again = await operator.send('post', `/api/v1/admin/devices/${device.deviceId}/revoke`).expect(409);
      expect(again.body.errorCode).toBe('DEVICE_ALREADY_REVOKED');
      expect(await auditEvents(system, 'device.revoked', { deviceId: device.deviceId })).toHaveLength(1);
    });

    it('revokes through the same path when the cardholder removes the device', async () => {
      const device = await system.enrollDevice();
      await system.http().delete('/api/v1/device').set('authorization', `Bearer ${device.token}`).expect(204);
      expect(await system.redis.smembers(system.keys.devices(device.customerNumber))).toEqual([]);
      const [revoked] = await auditEvents(system, 'device.revoked', { deviceId: device.deviceId });
      expect(revoked).toMatchObject({ actor: null, details: { by: 'cardholder' } });
    });

    it('creates an enrollment code with a QR code of its link, which then enrolls a device', async () => {
      const customerNumber = newCustomerNumber();
      const response = await operator.send('post', `/api/v1/admin/cardholders/${customerNumber}/enrollments`, { displayName: 'Aino' }).expect(201);
      expect(response.body).toEqual({
        activationCode: expect.stringMatching(/^ac_/),
        activationUrl: `${system.apiUrl}/app/activate?code=${response.body.activationCode}`,
        expiresAt: expect.any(String),
        qrCodeSvg: expect.stringMatching(/^<svg[\s\S]*<\/svg>\s*$/),
      });
      const [created] = await auditEvents(system, 'enrollment.created', { customerNumber });
      expect(created.actor).toBe(operator.account.email);

      const authenticator = new SoftAuthenticator({ origin: system.apiUrl });
      const options = await system.http().post('/api/v1/devices/registration-options').send({ activationCode: response.body.activationCode }).expect(200);
      await system.http().post('/api/v1/devices').send({ activationCode: response.body.activationCode, credential: authenticator.register(options.body) }).expect(201);
      const { body } = await viewer.get(`/api/v1/admin/cardholders/${customerNumber}`).expect(200);
      expect(body).toMatchObject({ displayName: 'Aino', activeDevices: 1 });
    });

    it('answers 404 for an unknown cardholder or device', async () => {
      await viewer.get('/api/v1/admin/cardholders/no-such-customer').expect(404);
      await operator.send('post', `/api/v1/admin/devices/${newSessionId()}/revoke`).expect(404);
    });
  });

  describe('audit log', () => {
    it('pages through events of a type, newest first', async () => {
      const { body: first } = await viewer.get('/api/v1/admin/audit-events?type=admin.signed_in&limit=1').expect(200);
      expect(first.items).toHaveLength(1);
      expect(first.items[0]).toMatchObject({ type: 'admin.signed_in', actor: operator.account.email });
      const { body: second } = await viewer.get(`/api/v1/admin/audit-events?type=admin.signed_in&limit=1&cursor=${first.nextCursor}`).expect(200);
      expect(second.items[0]).toMatchObject({ type: 'admin.signed_in', actor: viewer.account.email });
      expect(Number(second.items[0].id)).toBeLessThan(Number(first.items[0].id));
      const { body: prefixed } = await viewer.get('/api/v1/admin/audit-events?type=admin.&limit=200').expect(200);
      expect(prefixed.items.every((event: { type: string }) => event.type.startsWith('admin.'))).toBe(true);
    });

    it('exports the filtered log as CSV, and audits the export', async () => {
      const response = await viewer.get(`/api/v1/admin/audit-events/export.csv?actor=${encodeURIComponent(operator.account.email)}`).expect(200);
      expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(response.headers['content-disposition']).toMatch(/^attachment; filename="assent-audit-.*\.csv"$/);
      const lines = response.text.trim().split('\r\n');
      expect(lines[0]).toBe('id,occurred_at,type,actor,customer_number,session_id,device_id,remote_address,request_id,details');
      expect(lines.length).toBeGreaterThan(2);
      expect(lines.slice(1).every((line) => line.split(',')[3] === operator.account.email)).toBe(true);
      expect(lines.some((line) => line.includes(',device.revoked,'))).toBe(true);
      const [exported] = await waitForAuditEvents(system, 'admin.audit_exported', { actor: viewer.account.email });
      expect(exported.details).toEqual({ filters: { actor: operator.account.email } });
    });

    it('stays append-only: the database refuses to change or delete an event', async () => {
      await expect(system.db.query(`UPDATE audit_events SET actor = 'someone else'`)).rejects.toThrow(/append-only/);
      await expect(system.db.query('DELETE FROM audit_events')).rejects.toThrow(/append-only/);
    });
  });

  describe('pages', () => {
    it('serves the dashboard under /admin/ with a strict content security policy', async () => {
      const page = await request(system.apiUrl).get('/admin/').expect(200);
      expect(page.text).toContain('<script type="module" src="/admin/app.js">');
      expect(page.headers['content-security-policy']).toMatch(/default-src 'self'.*frame-ancestors 'none'/);
      expect(page.headers['x-frame-options']).toBe('DENY');
      await request(system.apiUrl).get('/admin/app.js').expect(200).expect('content-type', /javascript/);
      await request(system.apiUrl).get('/admin').expect(301).expect('location', '/admin/');
    });

    it('serves Bull Board to admins only, sending a signed-out browser to the sign-in page', async () => {
      await request(system.apiUrl).get('/admin/queues').expect(302).expect('location', '/admin/#/sign-in');
      await operator.get('/admin/queues').expect(403);
      const admin = await AdminClient.as(system, 'admin');
      const queues = await admin.get('/admin/queues/api/queues').expect(200);
      expect(queues.body.queues.map((queue: { name: string }) => queue.name).sort()).toEqual(['callback', 'push', 'records', 'timeout']);
      expect(queues.body.queues.every((queue: { readOnlyMode: boolean }) => queue.readOnlyMode)).toBe(true);
    });
  });

  // Last: it stops the API.
  it('ends open live streams on shutdown, so the API stops promptly', async () => {
    const stream = await LiveStream.open(viewer);
    const started = Date.now();
    await system.api.stop();
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(stream.ended).toBe(true);
    expect(system.api.logs).not.toMatch(/"level":50/);
  });
});
