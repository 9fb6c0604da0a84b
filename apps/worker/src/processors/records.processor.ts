import { Processor } from '@nestjs/bullmq';
import { Job, UnrecoverableError } from 'bullmq';
import { AuditLog, DeferredRecord, DeliveryRecords, SessionSummaries } from '@assent/persistence';
import { JobName, QueueName } from '@assent/queue';
import { LoggedWorkerHost } from './logged-worker-host';
import { FAST_STALL_RECOVERY } from './worker-settings';

// Doubling from half a second up to a minute: quick once Postgres is back from a
// blip, and 300 attempts (jobOptions) still cover an outage of about five hours.
const recordRetryDelay = (attemptsMade: number) => Math.min(60_000, 500 * 2 ** Math.max(0, attemptsMade - 1));

/** Writes the records that waited in Redis while Postgres was unreachable (DeferredRecords). */
@Processor(QueueName.Records, { concurrency: 10, ...FAST_STALL_RECOVERY, settings: { backoffStrategy: recordRetryDelay } })
export class RecordsProcessor extends LoggedWorkerHost {
  constructor(
    private readonly audit: AuditLog,
    private readonly summaries: SessionSummaries,
    private readonly deliveries: DeliveryRecords,
  ) {
    super();
  }

  async process(job: Job<DeferredRecord>): Promise<void> {
    if (job.name !== JobName.WriteRecord) throw new UnrecoverableError(`Unknown job ${job.name}`);
    const record = job.data;
    switch (record.kind) {
      case 'audit-event':
        return this.audit.record(record.entry);
      case 'session-opened':
        return this.summaries.writeOpened(record.session);
      case 'session-settled':
        return this.summaries.writeSettled(record.session);
      case 'callback-attempt':
        return this.deliveries.writeCallbackAttempt(record.attempt);
      case 'push-deliveries':
        return this.deliveries.writePushes(record.deliveries);
    }
  }
}
