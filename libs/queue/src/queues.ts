import { JobsOptions } from 'bullmq';

// Never rename these values: they name Redis keys that hold queued jobs, and a
// rename would strand every job queued under the old name during a deploy.
export enum QueueName {
  Push = 'push',
  Timeout = 'timeout',
  Callback = 'callback',
  Records = 'records',
}

export enum JobName {
  PushChallenge = 'push-challenge',
  ExpireSession = 'expire-session',
  DeliverResult = 'deliver-result',
  WriteRecord = 'write-record',
}

/** Every job concerns one session; everything else is read from the session store. */
export interface SessionJob {
  sessionId: string;
  /** For the job's log line only (the session store has it too). */
  customerNumber: string;
}

/** Carries Enfuce's deadline so the retry backoff can stop short of it without a Redis read. */
export interface CallbackJob extends SessionJob {
  /** Epoch ms after which Enfuce refuses the callback. */
  deadlineAt: number;
}

// Job ids derive from the session, so adding the same job twice (a retried webhook,
// two racing decisions) is a no-op in BullMQ: one push round, one callback, ever.
export const jobIds = {
  push: (sessionId: string) => `push-${sessionId}`,
  timeout: (sessionId: string) => `timeout-${sessionId}`,
  callback: (sessionId: string) => `callback-${sessionId}`,
};

// Finished jobs are kept longer than a session lives (Enfuce's 150 s plus margin)
// so their ids keep deduplicating for the whole life of the session.
const keepFinished = { removeOnComplete: { age: 3600 }, removeOnFail: { age: 24 * 3600 } } as const;

export const jobOptions: Record<QueueName, JobsOptions> = {
  [QueueName.Push]: { ...keepFinished, attempts: 3, backoff: { type: 'fixed', delay: 1000 } },
  [QueueName.Timeout]: { ...keepFinished, attempts: 5, backoff: { type: 'fixed', delay: 200 } },
  // The callback processor decides when to stop, by Enfuce's deadline; the
  // attempt count only needs to be out of its way.
  [QueueName.Callback]: { ...keepFinished, attempts: 1000, backoff: { type: 'callback-deadline' } },
  // Rows Postgres could not take; retried with a capped backoff for hours (see RecordsProcessor).
  [QueueName.Records]: { ...keepFinished, attempts: 300, backoff: { type: 'capped-exponential' } },
};
