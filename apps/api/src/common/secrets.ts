import { createHash, createHmac, randomBytes } from 'node:crypto';

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

/**
 * A bearer secret derived from a random id with a server key: as unguessable as
 * newSecret without the key, and derivable again from the id, so it can be handed
 * out more than once while only its hash is stored.
 */
export function derivedSecret(prefix: string, key: string, id: string): string {
  return `${prefix}_${createHmac('sha256', key).update(id, 'utf8').digest('base64url')}`;
}
