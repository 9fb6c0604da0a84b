import { createHash, timingSafeEqual } from 'node:crypto';

export interface BasicCredentials {
  username: string;
  password: string;
}

/**
 * Checks RFC 7617 Basic Authorization headers in constant time against the accepted
 * credentials (the current ones and, while the other side switches, the previous
 * ones). Both parts of a header are hashed to equal length and compared with every
 * accepted pair, whichever matches, so neither a guess's length, its first wrong
 * character nor which pair matched shows in the response time. The accepted side is
 * hashed once, here: a guard checks every webhook against it.
 */
export class BasicAuthVerifier {
  private readonly accepted: { username: Buffer; password: Buffer }[];

  constructor(accepted: readonly BasicCredentials[]) {
    this.accepted = accepted.map(({ username, password }) => ({ username: digest(username), password: digest(password) }));
  }

  matches(header: string | undefined): boolean {
    const match = /^Basic ([A-Za-z0-9+/=]+)$/i.exec(header?.trim() ?? '');
    const decoded = match ? Buffer.from(match[1], 'base64').toString('utf8') : '';
    const separator = decoded.indexOf(':');
    const givenUser = digest(separator >= 0 ? decoded.slice(0, separator) : '');
    const givenPassword = digest(separator >= 0 ? decoded.slice(separator + 1) : '');
    let matched = false;
    for (const { username, password } of this.accepted) {
      const userOk = timingSafeEqual(givenUser, username);
      const passwordOk = timingSafeEqual(givenPassword, password);
      matched = (userOk && passwordOk) || matched;
    }
    return separator >= 0 && matched;
  }
}

/** One pair of credentials, checked once (the sandbox's stand-ins). */
export function basicAuthMatches(header: string | undefined, username: string, password: string): boolean {
  return new BasicAuthVerifier([{ username, password }]).matches(header);
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** Checks `Authorization: Bearer {token}` in constant time, as basicAuthMatches does. */
export function bearerTokenMatches(header: string | undefined, token: string): boolean {
  const given = /^Bearer (\S+)$/i.exec(header?.trim() ?? '')?.[1] ?? '';
  return timingSafeEqual(digest(given), digest(token)) && given !== '';
}
