/**
 * The API serves the built cardholder app on its own origin under /app/, next to the
 * JSON routes, and the device API gives the app's approval screen one challenge
 * with its state.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { newSessionId, useAssentUnderTest } from '../support/assent-under-test';

const BUILT_APP = join(__dirname, '..', '..', 'dist', 'pwa');

describe('cardholder app: served by the API under /app/', () => {
  const system = useAssentUnderTest({ authTimeoutSeconds: 30 });

  it('answers every route of the app with the app shell, with headers that keep it from being framed or leaking the code', async () => {
    for (const path of ['/app/', '/app/activate?code=ac_x', '/app/challenges/5d3a3e10-b511-42cd-b9b6-1f2a5701ba98', '/app/device']) {
      const response = await system.http().get(path).expect(200);
      expect(response.headers['content-type']).toMatch(/^text\/html/);
      expect(response.text).toContain('<div id="app"></div>');
      expect(response.text).toContain('<link rel="manifest" href="/app/manifest.webmanifest" />');
      expect(response.headers).toMatchObject({
        'cache-control': 'no-cache',
        'x-frame-options': 'DENY',
        'referrer-policy': 'no-referrer',
        'x-content-type-options': 'nosniff',
      });
      expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(response.headers['content-security-policy']).toContain("default-src 'self'");
    }
  });

  it('redirects /app to /app/, where the service worker’s scope begins, keeping the activation code', async () => {
    const response = await system.http().get('/app?code=ac_abc').expect(301);
    expect(response.headers.location).toBe('/app/?code=ac_abc');
  });

  it('serves the service worker, the manifest and the icons at /app/, and the hashed assets as immutable', async () => {
    const worker = await system.http().get('/app/sw.js').expect(200);
    expect(worker.headers['content-type']).toMatch(/^application\/javascript/);
    expect(worker.headers['cache-control']).toBe('no-cache');

    const manifest = await system.http().get('/app/manifest.webmanifest').expect(200);
    expect(manifest.headers['content-type']).toMatch(/^application\/manifest\+json/);
    const parsed = JSON.parse(manifest.text ?? manifest.body.toString());
    expect(parsed).toMatchObject({ start_url: '/app/', scope: '/app/', display: 'standalone', theme_color: expect.any(String) });
    for (const icon of parsed.icons) await system.http().get(icon.src).expect(200).expect('content-type', icon.type);

    const [script] = readdirSync(join(BUILT_APP, 'assets')).filter((file) => file.endsWith('.js'));
    const asset = await system.http().get(`/app/assets/${script}`).expect(200);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('sends the compressed copy to a browser that accepts brotli', async () => {
    const [script] = readdirSync(join(BUILT_APP, 'assets')).filter((file) => file.endsWith('.js'));
    const response = await fetch(`${system.apiUrl}/app/assets/${script}`, { headers: { 'accept-encoding': 'br' } });
    expect(response.headers.get('content-encoding')).toBe('br');
    expect(response.headers.get('vary')).toMatch(/accept-encoding/i);
    expect(Number(response.headers.get('content-length'))).toBeLessThan(30 * 1024);
  });

  it('answers a missing file under /app/ with a 404 errorResponse, not the app shell, and serves nothing outside the build', async () => {
    for (const path of ['/app/assets/missing.js', '/app/..%2f..%2fpackage.json', '/app/%2e%2e/%2e%2e/package.json']) {
      const response = await system.http().get(path);
      expect(response.status).toBe(404);
      expect(response.body).toMatchObject({ code: '404', errorCode: 'ROUTE_NOT_FOUND', errorType: 'DYNAMIC_VALIDATION_ERROR' });
    }
  });

  it('keeps the JSON routes and their errorResponse as they were', async () => {
    const unknown = await system.http().get('/api/v1/nothing-here').expect(404);
    expect(unknown.body).toMatchObject({ code: '404', errorCode: 'ROUTE_NOT_FOUND' });
    await system.http().get('/api/v1/push/vapid-public-key').expect(200);
    await system.http().get('/health/live').expect(200);
  });
});

describe('device API: one challenge and its state', () => {
  const system = useAssentUnderTest({ authTimeoutSeconds: 30 });

  it('shows a pending challenge with what the approval screen needs, then its state once approved', async () => {
    const device = await system.enrollDevice({ push: false });
    const sessionId = newSessionId();
    await system.webhook(device.customerNumber, sessionId).expect(200);

    const pending = await system.http().get(`/api/v1/device/challenges/${sessionId}`).set('authorization', `Bearer ${device.token}`).expect(200);
    expect(pending.body).toEqual({
      sessionId,
      state: 'PENDING',
      merchant: { name: 'Airline of the world inc.', description: 'Airline ticket', country: 'FIN', url: 'https://www.airline.com/order/64674' },
      amount: { amount: 3.14, currency: 'EUR' },
      cardNumber: '342170______9554',
      expiresAt: expect.any(String),
    });
    const secondsLeft = (Date.parse(pending.body.expiresAt) - Date.now()) / 1000;
    expect(secondsLeft).toBeGreaterThan(20);
    expect(secondsLeft).toBeLessThanOrEqual(30);

    expect((await system.approve(device, sessionId)).status).toBe(200);
    const approved = await system.http().get(`/api/v1/device/challenges/${sessionId}`).set('authorization', `Bearer ${device.token}`).expect(200);
    expect(approved.body.state).toBe('APPROVED');
  });

  it("answers 404 for another cardholder's challenge, and for one that never existed", async () => {
    const owner = await system.enrollDevice({ push: false });
    const stranger = await system.enrollDevice({ push: false });
    const sessionId = newSessionId();
    await system.webhook(owner.customerNumber, sessionId).expect(200);

    for (const id of [sessionId, newSessionId()]) {
      const response = await system.http().get(`/api/v1/device/challenges/${id}`).set('authorization', `Bearer ${stranger.token}`).expect(404);
      expect(response.body).toMatchObject({ errorCode: 'SESSION_NOT_FOUND', errorType: 'DYNAMIC_VALIDATION_ERROR' });
    }
  });

  it('answers 400 naming the path when the sessionId is not a UUID, and 401 without a device token', async () => {
    const device = await system.enrollDevice({ push: false });
    const bad = await system.http().get('/api/v1/device/challenges/not-a-uuid').set('authorization', `Bearer ${device.token}`).expect(400);
    expect(bad.body).toMatchObject({ errorType: 'STATIC_VALIDATION_ERROR', errorReason: '$.path.sessionId' });
    await system.http().get(`/api/v1/device/challenges/${newSessionId()}`).expect(401);
  });
});
