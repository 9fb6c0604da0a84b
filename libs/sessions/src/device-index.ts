import { Inject, Injectable } from '@nestjs/common';
import { ENVIRONMENT, Environment } from '@assent/config';
import { primariesOf, REDIS, RedisConnection } from '@assent/queue';
import { RedisKeys } from './redis-keys';

/**
 * Which cardholders have an active device, kept in Redis so that Enfuce's webhook
 * can answer 404 without a Postgres query. Postgres stays the source of truth:
 * the API rebuilds the index from it at start, and every device change updates both.
 */
@Injectable()
export class DeviceIndex {
  private readonly keys: RedisKeys;

  constructor(
    @Inject(REDIS) private readonly redis: RedisConnection,
    @Inject(ENVIRONMENT) env: Environment,
  ) {
    this.keys = new RedisKeys(env.REDIS_KEY_PREFIX);
  }

  async add(customerNumber: string, deviceId: string): Promise<void> {
    await this.redis.sadd(this.keys.devices(customerNumber), deviceId);
  }

  async remove(customerNumber: string, deviceId: string): Promise<void> {
    await this.redis.srem(this.keys.devices(customerNumber), deviceId);
  }

  async devicesOf(customerNumber: string): Promise<string[]> {
    return this.redis.smembers(this.keys.devices(customerNumber));
  }

  /**
   * Replaces the index with what `loadActiveDevices` reads from Postgres
   * (customerNumber → device ids). Each cardholder's set is swapped in one MULTI, so
   * a webhook never sees it half built; cardholders no longer in Postgres are dropped.
   * The keys are listed before Postgres is read, so a cardholder whose first device
   * is enrolled meanwhile is not taken for a stale one.
   */
  async rebuild(loadActiveDevices: () => Promise<Map<string, string[]>>): Promise<number> {
    const existing: string[] = [];
    for (const primary of primariesOf(this.redis)) {
      for await (const batch of primary.scanStream({ match: this.keys.devicesPattern(), count: 1000 })) existing.push(...(batch as string[]));
    }
    const activeDevices = await loadActiveDevices();
    const wanted = new Set([...activeDevices.keys()].map((customerNumber) => this.keys.devices(customerNumber)));
    const stale = existing.filter((key) => !wanted.has(key));
    const batchSize = 500;
    const entries = [...activeDevices.entries()];
    for (let start = 0; start < entries.length; start += batchSize) {
      const transaction = this.redis.multi();
      for (const [customerNumber, deviceIds] of entries.slice(start, start + batchSize)) {
        const key = this.keys.devices(customerNumber);
        transaction.del(key).sadd(key, ...deviceIds);
      }
      await transaction.exec();
    }
    if (stale.length) await this.redis.del(...stale);
    await this.redis.set(this.keys.deviceIndexBuilt(), new Date().toISOString());
    return activeDevices.size;
  }

  /** False when Redis has lost the index (a restart without persistence, a flush). */
  async isBuilt(): Promise<boolean> {
    return (await this.redis.exists(this.keys.deviceIndexBuilt())) === 1;
  }
}
