import { Processor } from '@nestjs/bullmq';
import { Job, UnrecoverableError } from 'bullmq';
import { JobName, QueueName, SessionJob } from '@assent/queue';
import { PushDispatchService } from '../push/push-dispatch.service';
import { LoggedWorkerHost } from './logged-worker-host';
import { FAST_STALL_RECOVERY } from './worker-settings';

@Processor(QueueName.Push, { concurrency: 20, ...FAST_STALL_RECOVERY })
export class PushChallengeProcessor extends LoggedWorkerHost {
  constructor(private readonly dispatcher: PushDispatchService) {
    super();
  }

  async process(job: Job<SessionJob>): Promise<string> {
    if (job.name !== JobName.PushChallenge) throw new UnrecoverableError(`Unknown job ${job.name}`);
    const finalAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    const outcome = await this.dispatcher.dispatch(job.data.sessionId, finalAttempt);
    if (outcome === 'retry') throw new Error('A push service failed for now; retrying those devices');
    return outcome;
  }
}
