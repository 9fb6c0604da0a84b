import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Checks an RFC 7617 Basic Authorization header in constant time: both parts are
 * hashed to equal length and both are always compared, so neither the length nor
 * the first wrong character of a guess shows in the response time.
 */
export function basicAuthMatches(header: string | undefined, username: string, password: string): boolean {
  const match = /^Basic ([A-Za-z0-9+/=]+)$/i.exec(header?.trim() ?? '');
  const decoded = match ? Buffer.from(match[1], 'base64').toString('utf8') : '';
  const separator = decoded.indexOf(':');
  const givenUser = separator >= 0 ? decoded.slice(0, separator) : '';
  const givenPassword = separator >= 0 ? decoded.slice(separator + 1) : '';
  const userOk = timingSafeEqual(digest(givenUser), digest(username));
  const passwordOk = timingSafeEqual(digest(givenPassword), digest(password));
  return separator >= 0 && userOk && passwordOk;
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** Checks `Authorization: Bearer {token}` in constant time, as basicAuthMatches does. */
export function bearerTokenMatches(header: string | undefined, token: string): boolean {
  const given = /^Bearer (\S+)$/i.exec(header?.trim() ?? '')?.[1] ?? '';
  return timingSafeEqual(digest(given), digest(token)) && given !== '';
}
