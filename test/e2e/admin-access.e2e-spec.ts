import request from 'supertest';
import { AdminClient, auditEvents, createAdmin, runAdminCreate, waitForAuditEvents } from '../support/admin';
import { useAssentUnderTest } from '../support/assent-under-test';

describe('dashboard access: sign-in, roles, CSRF, lockout', () => {
  const system = useAssentUnderTest({ extraEnv: { ADMIN_LOCKOUT_THRESHOLD: '3' } });
  const signIn = (body: object, headers: Record<string, string> = {}) => request(system.apiUrl).post('/api/v1/admin/sign-in').set(headers).send(body);

  describe('signing in', () => {
    it('sets an httpOnly, SameSite=Strict session cookie and audits the sign-in', async () => {
      const account = await createAdmin('viewer');
      const response = await signIn({ email: account.email.toUpperCase(), password: account.password }).expect(200);

      expect(response.body).toEqual({ email: account.email, role: 'viewer', csrfToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
      const cookie = String(response.headers['set-cookie']);
      expect(cookie).toMatch(/^assent_admin=as_[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=43200$/);
      const me = await request(system.apiUrl).get('/api/v1/admin/me').set('cookie', cookie.split(';')[0]).expect(200);
      expect(me.body.email).toBe(account.email);
      expect(await auditEvents(system, 'admin.signed_in', { actor: account.email })).toHaveLength(1);
    });

    it('keeps the session server-side, under a hash of the token, expiring after the idle time', async () => {
      const client = await AdminClient.as(system, 'viewer');
      const token = client.cookie.split('=')[1];
      expect(await system.redis.keys(system.keys.adminSession(`*${token}*`))).toEqual([]);
      const [key] = await system.redis.keys(system.keys.adminSession('*'));
      expect(key).toBeDefined();
      const ttl = await system.redis.ttl(key);
      expect(ttl).toBeGreaterThan(29 * 60);
      expect(ttl).toBeLessThanOrEqual(30 * 60);
    });

    it('answers a wrong password and an unknown email alike, and audits both with the reason', async () => {
      const account = await createAdmin('viewer');
      const wrong = await signIn({ email: account.email, password: 'not-the-password' }).expect(401);
      const unknown = await signIn({ email: 'nobody@bank.test', password: 'not-the-password' }).expect(401);

      expect(wrong.headers['set-cookie']).toBeUndefined();
      expect(wrong.body).toMatchObject({ code: '401', errorCode: 'SIGN_IN_FAILED', errorType: 'SECURITY_ERROR' });
      expect(unknown.body.message).toBe(wrong.body.message);
      expect(wrong.headers['www-authenticate']).not.toMatch(/Basic/);
      const [failed] = await waitForAuditEvents(system, 'admin.sign_in_failed', { actor: account.email });
      expect(failed.details).toEqual({ reason: 'wrong password' });
      const [unknownEvent] = await waitForAuditEvents(system, 'admin.sign_in_failed', { actor: 'nobody@bank.test' });
      expect(unknownEvent.details).toEqual({ reason: 'unknown email' });
    });

    it('locks the account after the threshold of failures in a row, refusing even the right password, until an admin unlocks it', async () => {
      const account = await createAdmin('operator');
      for (let i = 0; i < 3; i++) await signIn({ email: account.email, password: `wrong-${i}` }).expect(401);

      await signIn({ email: account.email, password: account.password }).expect(401);
      expect(await auditEvents(system, 'admin.locked_out', { actor: account.email })).toHaveLength(1);
      const [refused] = await waitForAuditEvents(system, 'admin.sign_in_failed', { actor: account.email }, 4);
      expect(refused.details).toEqual({ reason: 'account locked' });

      const admin = await AdminClient.as(system, 'admin');
      const { body: users } = await admin.get('/api/v1/admin/users').expect(200);
      const locked = users.items.find((user: { email: string }) => user.email === account.email);
      expect(locked).toMatchObject({ locked: true });
      await admin.send('patch', `/api/v1/admin/users/${locked.id}`, { unlock: true }).expect(200);
      await signIn({ email: account.email, password: account.password }).expect(200);
      expect(await auditEvents(system, 'admin.user_changed', { actor: admin.account.email })).toEqual([
        expect.objectContaining({ details: { email: account.email, unlock: true } }),
      ]);
    });

    it('resets the failure count on a successful sign-in', async () => {
      const account = await createAdmin('viewer');
      for (let i = 0; i < 2; i++) await signIn({ email: account.email, password: `wrong-${i}` }).expect(401);
      await signIn({ email: account.email, password: account.password }).expect(200);
      for (let i = 0; i < 2; i++) await signIn({ email: account.email, password: `wrong-again-${i}` }).expect(401);
      await signIn({ email: account.email, password: account.password }).expect(200);
    });

    it('refuses a sign-in posted from another origin', async () => {
      const account = await createAdmin('admin');
      const response = await signIn({ email: account.email, password: account.password }, { origin: 'https://evil.example' }).expect(403);
      expect(response.body.errorCode).toBe('CROSS_ORIGIN_REQUEST');
      expect(response.headers['set-cookie']).toBeUndefined();
    });

    it('ends the session on sign-out: the same cookie then gets 401', async () => {
      const client = await AdminClient.as(system, 'viewer');
      await client.send('post', '/api/v1/admin/sign-out').expect(204);
      await client.get('/api/v1/admin/me').expect(401);
      expect(await auditEvents(system, 'admin.signed_out', { actor: client.account.email })).toHaveLength(1);
    });

    it('stops a disabled user at the next request', async () => {
      const client = await AdminClient.as(system, 'operator');
      const admin = await AdminClient.as(system, 'admin');
      const { body } = await admin.get('/api/v1/admin/users').expect(200);
      const id = body.items.find((user: { email: string }) => user.email === client.account.email).id;
      await admin.send('patch', `/api/v1/admin/users/${id}`, { disabled: true }).expect(200);
      await client.get('/api/v1/admin/sessions').expect(401);
      await signIn({ email: client.account.email, password: client.account.password }).expect(401);
    });
  });

  describe('the CLI', () => {
    it('refuses a password under 12 characters and an email that exists', async () => {
      await expect(runAdminCreate(['--email', 'short@bank.test', '--role', 'viewer'], 'too-short')).rejects.toThrow(/at least 12 characters/);
      const account = await createAdmin('viewer');
      await expect(runAdminCreate(['--email', account.email, '--role', 'admin'], 'another-long-password')).rejects.toThrow(/exists already/);
      await expect(runAdminCreate(['--email', 'role@bank.test', '--role', 'superuser'], 'another-long-password')).rejects.toThrow(/role/);
    });

    it('stores only a scrypt hash of the password, and audits the creation', async () => {
      const account = await createAdmin('operator');
      const { rows } = await system.db.query('SELECT password_hash, role FROM admin_users WHERE email = $1', [account.email]);
      expect(rows[0].role).toBe('operator');
      expect(rows[0].password_hash).toMatch(/^scrypt\$/);
      expect(rows[0].password_hash).not.toContain(account.password);
      const created = (await auditEvents(system, 'admin.user_created')).find((event) => event.details.email === account.email);
      expect(created.actor).toMatch(/^cli:/);
      expect(created.details).toEqual({ email: account.email, role: 'operator' });
    });
  });

  describe('roles', () => {
    // Every endpoint, the least role it needs, and a call that would succeed with it.
    const customerNumber = '900000001';
    const endpoints: { name: string; role: 'viewer' | 'operator' | 'admin'; call: (client: AdminClient) => request.Test }[] = [
      { name: 'GET overview', role: 'viewer', call: (c) => c.get('/api/v1/admin/overview') },
      { name: 'GET sessions', role: 'viewer', call: (c) => c.get('/api/v1/admin/sessions') },
      { name: 'GET cardholders', role: 'viewer', call: (c) => c.get('/api/v1/admin/cardholders') },
      { name: 'GET audit events', role: 'viewer', call: (c) => c.get('/api/v1/admin/audit-events') },
      { name: 'GET audit CSV', role: 'viewer', call: (c) => c.get('/api/v1/admin/audit-events/export.csv') },
      { name: 'POST enrollment code', role: 'operator', call: (c) => c.send('post', `/api/v1/admin/cardholders/${customerNumber}/enrollments`, {}) },
      { name: 'POST revoke device', role: 'operator', call: (c) => c.send('post', '/api/v1/admin/devices/00000000-0000-4000-8000-000000000000/revoke') },
      { name: 'GET admin users', role: 'admin', call: (c) => c.get('/api/v1/admin/users') },
      { name: 'POST admin user', role: 'admin', call: (c) => c.send('post', '/api/v1/admin/users', { email: `new-${Math.random().toString(36).slice(2)}@bank.test`, role: 'viewer', password: 'a-long-enough-password' }) },
      { name: 'GET queues (Bull Board)', role: 'admin', call: (c) => c.get('/admin/queues/api/queues') },
    ];
    const RANK = { viewer: 1, operator: 2, admin: 3 };
    const clients: Record<string, AdminClient> = {};
    beforeAll(async () => {
      for (const role of ['viewer', 'operator', 'admin'] as const) clients[role] = await AdminClient.as(system, role);
    });

    for (const endpoint of endpoints) {
      for (const role of ['viewer', 'operator', 'admin'] as const) {
        const allowed = RANK[role] >= RANK[endpoint.role];
        it(`${allowed ? 'lets' : 'refuses'} a ${role} ${endpoint.name}`, async () => {
          const response = await endpoint.call(clients[role]);
          if (allowed) {
            // The revoke call names no real device: past the guard it is a 404, never a 401 or 403.
            expect(response.status).toBe(endpoint.name === 'POST revoke device' ? 404 : endpoint.name.startsWith('POST') ? 201 : 200);
          } else {
            expect(response.status).toBe(403);
            expect(response.body).toMatchObject({ code: '403', errorCode: 'ROLE_REQUIRED', errorType: 'SECURITY_ERROR' });
          }
        });
      }
      it(`answers 401 to ${endpoint.name} when signed out`, async () => {
        const anonymous = Object.create(clients.viewer, { cookie: { value: 'assent_admin=as_notavalidsessiontoken' } }) as AdminClient;
        const response = await endpoint.call(anonymous);
        expect(response.status).toBe(401);
        expect(response.body).toMatchObject({ code: '401', errorCode: 'NOT_SIGNED_IN' });
      });
    }

    it('audits a refused role check with who tried what', async () => {
      const viewer = await AdminClient.as(system, 'viewer');
      await viewer.send('post', '/api/v1/admin/devices/00000000-0000-4000-8000-000000000000/revoke').expect(403);
      const [denied] = await waitForAuditEvents(system, 'admin.access_denied', { actor: viewer.account.email });
      expect(denied.details).toEqual({ reason: 'needs the operator role', method: 'POST', path: '/api/v1/admin/devices/00000000-0000-4000-8000-000000000000/revoke' });
    });

    it('does not let an admin lower their own role', async () => {
      const admin = await AdminClient.as(system, 'admin');
      const { body } = await admin.get('/api/v1/admin/users').expect(200);
      const self = body.items.find((user: { email: string }) => user.email === admin.account.email);
      const response = await admin.send('patch', `/api/v1/admin/users/${self.id}`, { role: 'viewer' }).expect(409);
      expect(response.body.errorCode).toBe('OWN_ACCOUNT');
    });
  });

  describe('CSRF', () => {
    it('refuses a change without the CSRF token, and changes nothing', async () => {
      const operator = await AdminClient.as(system, 'operator');
      const device = await system.enrollDevice();
      const response = await operator.send('post', `/api/v1/admin/devices/${device.deviceId}/revoke`, undefined, null).expect(403);
      expect(response.body.errorCode).toBe('CSRF_TOKEN_INVALID');
      await system.http().get('/api/v1/device').set('authorization', `Bearer ${device.token}`).expect(200);
    });

    it('refuses another session’s CSRF token', async () => {
      const operator = await AdminClient.as(system, 'operator');
      const other = await AdminClient.as(system, 'operator');
      const device = await system.enrollDevice();
      await operator.send('post', `/api/v1/admin/devices/${device.deviceId}/revoke`, undefined, other.csrfToken).expect(403);
      await system.http().get('/api/v1/device').set('authorization', `Bearer ${device.token}`).expect(200);
    });

    it('refuses a change from another origin even with the right token', async () => {
      const operator = await AdminClient.as(system, 'operator');
      const device = await system.enrollDevice();
      const response = await operator.send('post', `/api/v1/admin/devices/${device.deviceId}/revoke`).set('origin', 'https://evil.example').expect(403);
      expect(response.body.errorCode).toBe('CROSS_ORIGIN_REQUEST');
      await system.http().get('/api/v1/device').set('authorization', `Bearer ${device.token}`).expect(200);
    });

    it('accepts the change with the session’s token from the dashboard’s origin', async () => {
      const operator = await AdminClient.as(system, 'operator');
      const device = await system.enrollDevice();
      await operator.send('post', `/api/v1/admin/devices/${device.deviceId}/revoke`).set('origin', system.apiUrl).expect(200);
      await system.http().get('/api/v1/device').set('authorization', `Bearer ${device.token}`).expect(401);
    });
  });
});
