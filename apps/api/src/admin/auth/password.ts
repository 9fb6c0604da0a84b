import { randomBytes, scrypt, ScryptOptions, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

// OWASP's scrypt setting (N = 2^17 is its first choice; 2^15 with r = 8 costs 32 MiB
// and ~50 ms here, enough against offline guessing for a handful of staff accounts).
const PARAMETERS = { N: 2 ** 15, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;
const MAX_MEMORY = 64 * 1024 * 1024;

/** Long passphrases over forced complexity (NIST SP 800-63B). */
export const passwordSchema = z.string().min(12, 'must be at least 12 characters').max(256);

/** `scrypt$N$r$p$salt$hash`, so the parameters can be raised later without breaking stored hashes. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await derive(password, salt, PARAMETERS);
  return ['scrypt', PARAMETERS.N, PARAMETERS.r, PARAMETERS.p, salt.toString('base64url'), hash.toString('base64url')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, N, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const actual = await derive(password, Buffer.from(salt, 'base64url'), { N: Number(N), r: Number(r), p: Number(p) }, expected.length);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

let unknownUserHash: Promise<string> | undefined;

/**
 * A hash to check a password against when there is no such user, so that a wrong
 * email takes as long as a wrong password and does not tell which emails exist.
 */
export function hashForUnknownUser(): Promise<string> {
  unknownUserHash ??= hashPassword(randomBytes(16).toString('base64url'));
  return unknownUserHash;
}

function derive(password: string, salt: Buffer, parameters: ScryptOptions, length = KEY_LENGTH): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, length, { ...parameters, maxmem: MAX_MEMORY }, (error, key) => (error ? reject(error) : resolve(key))),
  );
}
