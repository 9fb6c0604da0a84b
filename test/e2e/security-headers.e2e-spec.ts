import { APP_SECURITY_HEADERS } from '../../apps/api/src/pwa/pwa-files';
import { useAssentUnderTest } from '../support/assent-under-test';

describe('security headers and CORS', () => {
  const system = useAssentUnderTest();

  it('sends strict security headers on JSON answers, errors included', async () => {
    for (const response of [await system.http().get('/health/live').expect(200), await system.http().post('/api/v1/enrollments').send({})]) {
      expect(response.headers).toMatchObject({
        'content-security-policy': "default-src 'none';frame-ancestors 'none';base-uri 'none'",
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'SAMEORIGIN',
        'strict-transport-security': expect.stringContaining('max-age='),
        'referrer-policy': 'no-referrer',
        'cross-origin-resource-policy': 'same-origin',
      });
    }
  });

  it('keeps the cardholder app’s own Content-Security-Policy', async () => {
    const response = await system.http().get('/app/').expect(200);
    expect(response.headers['content-security-policy']).toBe(APP_SECURITY_HEADERS['content-security-policy']);
    expect(response.headers['x-frame-options']).toBe('DENY');
  });

  it('answers no CORS headers to another origin, preflight or not', async () => {
    const simple = await system.http().get('/api/v1/push/vapid-public-key').set('origin', 'https://evil.example').expect(200);
    expect(Object.keys(simple.headers).filter((name) => name.startsWith('access-control-'))).toEqual([]);
    const preflight = await system
      .http()
      .options('/api/v1/devices/registration-options')
      .set('origin', 'https://evil.example')
      .set('access-control-request-method', 'POST')
      .set('access-control-request-headers', 'content-type');
    expect(Object.keys(preflight.headers).filter((name) => name.startsWith('access-control-'))).toEqual([]);
  });
});
