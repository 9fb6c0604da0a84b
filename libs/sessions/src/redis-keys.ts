/**
 * Every key of the service lives under one prefix. A session's key carries its id
 * in braces (a Redis Cluster hash tag) so all of one session stays in one slot.
 */
export class RedisKeys {
  constructor(private readonly prefix: string) {}

  session(sessionId: string): string {
    return `${this.prefix}:session:{${sessionId}}`;
  }

  /** Pending sessions of one cardholder, scored by when they time out: the poll fallback reads it. */
  pending(customerNumber: string): string {
    return `${this.prefix}:pending:${customerNumber}`;
  }

  /** Active devices of one cardholder: the webhook's 404 check, without Postgres. */
  devices(customerNumber: string): string {
    return `${this.prefix}:devices:${customerNumber}`;
  }

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
}
