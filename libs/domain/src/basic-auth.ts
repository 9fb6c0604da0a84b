import { createHash, timingSafeEqual } from 'node:crypto';

export interface BasicCredentials {
  username: string;
  password: string;
}

/**
 * Checks an RFC 7617 Basic Authorization header in constant time: both parts are
 * hashed to equal length and both are always compared, so neither the length nor
 * the first wrong character of a guess shows in the response time.
 */
export function basicAuthMatches(header: string | undefined, username: string, password: string): boolean {
  return basicAuthMatchesAny(header, [{ username, password }]);
}

/**
 * The same against several accepted credentials (the current ones and, while the
 * other side switches, the previous ones): every pair is compared, whichever
 * matches, so the time does not tell which one did.
 */
export function basicAuthMatchesAny(header: string | undefined, accepted: readonly BasicCredentials[]): boolean {
  const match = /^Basic ([A-Za-z0-9+/=]+)$/i.exec(header?.trim() ?? '');
  const decoded = match ? Buffer.from(match[1], 'base64').toString('utf8') : '';
  const separator = decoded.indexOf(':');
  const givenUser = digest(separator >= 0 ? decoded.slice(0, separator) : '');
  const givenPassword = digest(separator >= 0 ? decoded.slice(separator + 1) : '');
  let matched = false;
  for (const { username, password } of accepted) {
    const userOk = timingSafeEqual(givenUser, digest(username));
    const passwordOk = timingSafeEqual(givenPassword, digest(password));
    matched = (userOk && passwordOk) || matched;
  }
  return separator >= 0 && matched;
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** Checks `Authorization: Bearer {token}` in constant time, as basicAuthMatches does. */
export function bearerTokenMatches(header: string | undefined, token: string): boolean {
  const given = /^Bearer (\S+)$/i.exec(header?.trim() ?? '')?.[1] ?? '';
  return timingSafeEqual(digest(given), digest(token)) && given !== '';
}
