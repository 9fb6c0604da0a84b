import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { REDIS, RedisConnection } from '@assent/queue';

export interface ReadinessReport {
  ready: boolean;
  checks: { redis: 'up' | 'down'; postgres: 'up' | 'down' };
}

// A probe must answer before the orchestrator's own timeout, even when a dependency hangs.
const CHECK_TIMEOUT_MS = 1000;

/** Whether the process's dependencies answer; shared by the API's and the worker's health endpoints. */
@Injectable()
export class ReadinessProbe {
  constructor(
    @Inject(REDIS) private readonly redis: RedisConnection,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async check(): Promise<ReadinessReport> {
    const [redis, postgres] = await Promise.all([
      answers(() => this.redis.ping()),
      answers(() => this.dataSource.query('SELECT 1')),
    ]);
    return { ready: redis && postgres, checks: { redis: redis ? 'up' : 'down', postgres: postgres ? 'up' : 'down' } };
  }
}

async function answers(call: () => Promise<unknown>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), CHECK_TIMEOUT_MS)));
  try {
    return await Promise.race([call().then(() => true, () => false), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
