import { Processor } from '@nestjs/bullmq';
import { Job, UnrecoverableError } from 'bullmq';
import { SessionState } from '@assent/domain';
import { JobName, QueueName, SessionJob } from '@assent/queue';
import { SessionStore } from '@assent/sessions';
import { annotateActiveSpan, sessionAttributes } from '@assent/telemetry';
import { LoggedWorkerHost } from './logged-worker-host';
import { FAST_STALL_RECOVERY } from './worker-settings';

/** Fires AUTH_TIMEOUT_SECONDS after the webhook; ends the session in TIMEOUT if nobody decided. */
@Processor(QueueName.Timeout, { concurrency: 50, ...FAST_STALL_RECOVERY })
export class SessionTimeoutProcessor extends LoggedWorkerHost {
  constructor(private readonly sessions: SessionStore) {
    super();
  }

  async process(job: Job<SessionJob>): Promise<string> {
    if (job.name !== JobName.ExpireSession) throw new UnrecoverableError(`Unknown job ${job.name}`);
    const session = await this.sessions.get(job.data.sessionId);
    annotateActiveSpan(sessionAttributes(job.data.sessionId, session?.customerNumber));
    if (!session || session.state !== SessionState.Pending) return 'already ended';
    const settled = await this.sessions.settle(session, { state: SessionState.Timeout });
    return settled.outcome;
  }
}
