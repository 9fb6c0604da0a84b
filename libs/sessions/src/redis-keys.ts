import { keyTag } from '@assent/queue';

/**
 * Every key of the service lives under one prefix, in braces: a Redis Cluster hash
 * tag that puts all of them, BullMQ's included, in one slot (see keyTag).
 */
export class RedisKeys {
  private readonly prefix: string;

  constructor(prefix: string) {
    this.prefix = keyTag(prefix);
  }

  session(sessionId: string): string {
    return `${this.prefix}:session:${sessionId}`;
  }

  /** Pending sessions of one cardholder, scored by when they time out: the poll fallback reads it. */
  pending(customerNumber: string): string {
    return `${this.prefix}:pending:${customerNumber}`;
  }

  /** Active devices of one cardholder: the webhook's 404 check, without Postgres. */
  devices(customerNumber: string): string {
    return `${this.prefix}:devices:${customerNumber}`;
  }

  /** For SCAN MATCH; the braces of the tag are literal in a glob. */
  devicesPattern(): string {
    return `${this.prefix}:devices:*`;
  }

  /** Present while the device index is complete; a Redis that lost its data lacks it. */
  deviceIndexBuilt(): string {
    return `${this.prefix}:device-index:built`;
  }

  /** The pub/sub channel of session state changes (a channel, not a key: it holds nothing). */
  sessionEvents(): string {
    return `${this.prefix}:events:sessions`;
  }

  /** A dashboard sign-in, by the SHA-256 of its cookie token. */
  adminSession(tokenHash: string): string {
    return `${this.prefix}:admin-session:${tokenHash}`;
  }

  /** Registration challenges, between registration-options and the registration itself. */
  registrationChallenge(activationCodeHash: string): string {
    return `${this.prefix}:registration:${activationCodeHash}`;
  }

  /** The keys of one rate limit (rate-limiter-flexible adds the limited key after it). */
  rateLimit(name: string): string {
    return `${this.prefix}:ratelimit:${name}`;
  }

  /** Every key of the service, for SCAN MATCH (tests clean up with it). */
  all(): string {
    return `${this.prefix}:*`;
  }
}
