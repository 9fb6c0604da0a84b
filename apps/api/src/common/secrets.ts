import { createHash, randomBytes } from 'node:crypto';

/** A bearer secret with 256 bits of entropy: device tokens and activation codes. */
export function newSecret(prefix: string): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`;
}

/**
 * Secrets are stored only as SHA-256: they are random and long, so a plain hash
 * cannot be reversed, and a stolen database yields no usable token.
 */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('base64url');
}
