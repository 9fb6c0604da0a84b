import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { ENVIRONMENT, Environment } from '@assent/config';
import { REDIS, RedisConnection } from '@assent/queue';
import { RedisKeys } from '@assent/sessions';
import { hashSecret, newSecret } from '../../common/secrets';

/** A signed-in dashboard user, as kept on the server. */
export interface AdminSession {
  userId: string;
  /** Sent back by the dashboard in X-CSRF-Token on every change; a cross-site page cannot read it. */
  csrfToken: string;
  createdAt: number;
}

/**
 * Dashboard sessions live in Redis under the SHA-256 of the cookie's token, so the
 * cookie is useless to anyone reading Redis, and signing out ends it everywhere at
 * once. Each use pushes the idle expiry back; none outlives ADMIN_SESSION_MAX_HOURS.
 */
@Injectable()
export class AdminSessionStore {
  private readonly keys: RedisKeys;

  constructor(
    @Inject(REDIS) private readonly redis: RedisConnection,
    @Inject(ENVIRONMENT) private readonly env: Environment,
  ) {
    this.keys = new RedisKeys(env.REDIS_KEY_PREFIX);
  }

  async create(userId: string): Promise<{ token: string; session: AdminSession }> {
    const token = newSecret('as');
    const session: AdminSession = { userId, csrfToken: randomBytes(32).toString('base64url'), createdAt: Date.now() };
    await this.redis.set(this.key(token), JSON.stringify(session), 'EX', this.idleSeconds());
    return { token, session };
  }

  /** The session behind a cookie token, its idle expiry renewed; null when unknown or past its maximum age. */
  async touch(token: string): Promise<AdminSession | null> {
    const stored = await this.redis.getex(this.key(token), 'EX', this.idleSeconds());
    if (!stored) return null;
    const session = JSON.parse(stored) as AdminSession;
    if (Date.now() - session.createdAt > this.maxAgeSeconds() * 1000) {
      await this.destroy(token);
      return null;
    }
    return session;
  }

  async destroy(token: string): Promise<void> {
    await this.redis.del(this.key(token));
  }

  maxAgeSeconds(): number {
    return this.env.ADMIN_SESSION_MAX_HOURS * 3600;
  }

  private idleSeconds(): number {
    return this.env.ADMIN_SESSION_IDLE_MINUTES * 60;
  }

  private key(token: string): string {
    return this.keys.adminSession(hashSecret(token));
  }
}
