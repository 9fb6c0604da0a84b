import { Processor } from '@nestjs/bullmq';
import { Job, UnrecoverableError } from 'bullmq';
import { callbackRetryDelayBefore } from '@assent/domain';
import { CallbackJob, JobName, QueueName } from '@assent/queue';
import { CallbackDeliveryService } from '../callback/callback-delivery.service';
import { LoggedWorkerHost } from './logged-worker-host';
import { FAST_STALL_RECOVERY } from './worker-settings';

@Processor(QueueName.Callback, {
  concurrency: 50,
  ...FAST_STALL_RECOVERY,
  settings: {
    // Exponential with jitter, but always leaving room for a last attempt before Enfuce's deadline.
    backoffStrategy: (attemptsMade: number, _type?: string, _error?: Error, job?: { data: CallbackJob }) =>
      callbackRetryDelayBefore(job?.data.deadlineAt ?? Date.now(), Date.now(), attemptsMade),
  },
})
export class CallbackDeliveryProcessor extends LoggedWorkerHost {
  constructor(private readonly delivery: CallbackDeliveryService) {
    super();
  }

  async process(job: Job<CallbackJob>): Promise<void> {
    if (job.name !== JobName.DeliverResult) throw new UnrecoverableError(`Unknown job ${job.name}`);
    await this.delivery.deliver(job.data.sessionId, job.attemptsMade + 1);
  }
}
