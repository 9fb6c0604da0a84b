import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { REDIS, RedisConnection } from '@assent/queue';
import { DeviceIndex } from '@assent/sessions';

/**
 * Rebuilds the Redis device index from Postgres when Redis has lost it (found at
 * start, or on reconnecting): without the index every webhook would answer 404.
 * An index that is there is left alone: a rebuild replaces it with a snapshot of
 * Postgres, and a device enrolled or removed through another API process while the
 * snapshot is taken would be undone, so rebuilding at every start of every replica
 * (rolling updates, autoscaling) would be a race, not a repair.
 */
@Injectable()
export class DeviceIndexRebuilder implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DeviceIndexRebuilder.name);
  // On reconnecting the API keeps serving; a failed rebuild is logged, and the next reconnect tries again.
  private readonly onReconnect = () =>
    void this.rebuildIfLost().catch((error) => this.logger.error({ msg: 'Could not rebuild the device index after reconnecting', err: error }));

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(REDIS) private readonly redis: RedisConnection,
    private readonly deviceIndex: DeviceIndex,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.rebuildIfLost();
    this.redis.on('ready', this.onReconnect);
  }

  onApplicationShutdown(): void {
    this.redis.off('ready', this.onReconnect);
  }

  private async rebuildIfLost(): Promise<void> {
    if (!(await this.deviceIndex.isBuilt())) await this.rebuild();
  }

  private async rebuild(): Promise<void> {
    const cardholders = await this.deviceIndex.rebuild(async () => {
      const rows: { customer_number: string; device_ids: string[] }[] = await this.dataSource.query(`
        SELECT c.customer_number, array_agg(d.id::text) AS device_ids
        FROM devices d JOIN cardholders c ON c.id = d.cardholder_id
        WHERE d.status = 'active'
        GROUP BY c.customer_number`);
      return new Map(rows.map((row) => [row.customer_number, row.device_ids]));
    });
    this.logger.log({ msg: 'Device index rebuilt from Postgres', cardholders });
  }
}
