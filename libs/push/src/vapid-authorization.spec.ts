import { createPublicKey, verify } from 'node:crypto';
import webpush from 'web-push';
import { VapidAuthorization } from './vapid-authorization';

const keys = { subject: 'mailto:ops@example.test', ...webpush.generateVAPIDKeys() };
const HOUR_MS = 3600 * 1000;

/** The JWT's claims, after checking its ES256 signature with the key the header names. */
function claimsOf(header: string): { aud: string; exp: number; sub: string } {
  const [, token, key] = /^vapid t=([^,]+), k=(.+)$/.exec(header)!;
  expect(key).toBe(keys.publicKey);
  const [head, claims, signature] = token.split('.');
  const raw = Buffer.from(key, 'base64url');
  const publicKey = createPublicKey({
    key: { kty: 'EC', crv: 'P-256', x: raw.subarray(1, 33).toString('base64url'), y: raw.subarray(33).toString('base64url') },
    format: 'jwk',
  });
  const signed = verify('sha256', Buffer.from(`${head}.${claims}`), { key: publicKey, dsaEncoding: 'ieee-p1363' }, Buffer.from(signature, 'base64url'));
  expect(signed).toBe(true);
  return JSON.parse(Buffer.from(claims, 'base64url').toString());
}

describe('VapidAuthorization', () => {
  it('signs one JWT per push-service origin and reuses it for every message there', () => {
    const start = Math.floor(Date.now() / 1000) * 1000;
    let now = start;
    const vapid = new VapidAuthorization(keys, () => now);
    const first = vapid.headerFor('https://fcm.googleapis.com/fcm/send/abc');
    now += 60_000;
    expect(vapid.headerFor('https://fcm.googleapis.com/fcm/send/def')).toBe(first);

    const other = vapid.headerFor('https://updates.push.services.mozilla.com/wpush/v2/xyz');
    expect(other).not.toBe(first);
    expect(claimsOf(first)).toEqual({ aud: 'https://fcm.googleapis.com', sub: keys.subject, exp: (start + 12 * HOUR_MS) / 1000 });
    expect(claimsOf(other).aud).toBe('https://updates.push.services.mozilla.com');
  });

  it('names the port in the audience when the push service is on a non-default one', () => {
    const vapid = new VapidAuthorization(keys);
    expect(claimsOf(vapid.headerFor('https://localhost:8443/push/1')).aud).toBe('https://localhost:8443');
  });

  it('signs a new JWT an hour before the cached one expires, never handing out one about to expire', () => {
    // web-push refuses an expiry more than 24 h after the real clock, so the story starts 11 h ago.
    const start = Math.floor(Date.now() / 1000) * 1000 - 11 * HOUR_MS;
    let now = start;
    const vapid = new VapidAuthorization(keys, () => now);
    const first = vapid.headerFor('https://fcm.googleapis.com/fcm/send/abc');

    now = start + 11 * HOUR_MS - 1000;
    expect(vapid.headerFor('https://fcm.googleapis.com/fcm/send/abc')).toBe(first);

    now = start + 11 * HOUR_MS;
    const renewed = vapid.headerFor('https://fcm.googleapis.com/fcm/send/abc');
    expect(renewed).not.toBe(first);
    expect(claimsOf(renewed).exp).toBe((start + 23 * HOUR_MS) / 1000);
  });
});
