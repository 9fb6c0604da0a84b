import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { Queue } from 'bullmq';
import { JobName, jobOptions, QueueName } from '@assent/queue';
import type { StoredSession } from '@assent/sessions';
import type { AuditEntry } from './audit-log';
import type { CallbackAttemptRow, PushDeliveryRow } from './delivery-records';
import { isPostgresUnreachable } from './postgres-unreachable';

/** A row Postgres could not take, as it waits in Redis for Postgres to come back. */
export type DeferredRecord =
  | { kind: 'audit-event'; entry: AuditEntry }
  | { kind: 'session-opened'; session: StoredSession }
  | { kind: 'session-settled'; session: StoredSession }
  | { kind: 'callback-attempt'; attempt: CallbackAttemptRow }
  | { kind: 'push-deliveries'; deliveries: PushDeliveryRow[] };

/**
 * The records that go to Postgres after the fact (summaries, deliveries, audit
 * events) must not be lost, nor hold up the work they describe, while Postgres is
 * unreachable: such a write is queued in Redis instead, and the worker's
 * RecordsProcessor writes it when Postgres is back. Redis is the store the service
 * cannot run without anyway.
 */
@Injectable()
export class DeferredRecords {
  private readonly logger = new Logger(DeferredRecords.name);

  constructor(@InjectQueue(QueueName.Records) private readonly queue: Queue<DeferredRecord>) {}

  async writeOrDefer(record: DeferredRecord, write: () => Promise<unknown>): Promise<void> {
    try {
      await write();
    } catch (error) {
      if (!isPostgresUnreachable(error)) throw error;
      await this.queue.add(JobName.WriteRecord, record, jobOptions[QueueName.Records]);
      this.logger.warn({ msg: 'Postgres unreachable: the record waits in Redis until it is back', kind: record.kind, reason: String((error as Error).message) });
    }
  }
}
