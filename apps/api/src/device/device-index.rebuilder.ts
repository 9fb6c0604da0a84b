import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DeviceIndex } from '@assent/sessions';

/** Rebuilds the Redis device index from Postgres when the API starts (Redis may have lost it). */
@Injectable()
export class DeviceIndexRebuilder implements OnApplicationBootstrap {
  private readonly logger = new Logger(DeviceIndexRebuilder.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly deviceIndex: DeviceIndex,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const rows: { customer_number: string; device_ids: string[] }[] = await this.dataSource.query(`
      SELECT c.customer_number, array_agg(d.id::text) AS device_ids
      FROM devices d JOIN cardholders c ON c.id = d.cardholder_id
      WHERE d.status = 'active'
      GROUP BY c.customer_number`);
    await this.deviceIndex.rebuild(new Map(rows.map((row) => [row.customer_number, row.device_ids])));
    this.logger.log({ msg: 'Device index rebuilt from Postgres', cardholders: rows.length });
  }
}
