import { OnWorkerEvent, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import { Job } from 'bullmq';

/**
 * One log line per job, however it ends: the session and cardholder it was for,
 * its attempt, how long it ran, and what it returned or why it failed. An operator
 * explaining an outcome greps one sessionId across the API's and the workers' lines.
 */
export abstract class LoggedWorkerHost extends WorkerHost {
  private readonly jobLogger = new Logger(this.constructor.name);

  @OnWorkerEvent('completed')
  logCompleted(job: Job, result: unknown): void {
    this.jobLogger.log({ msg: 'Job completed', ...describe(job), result });
  }

  @OnWorkerEvent('failed')
  logFailed(job: Job | undefined, error: Error): void {
    if (!job) return;
    // BullMQ sets finishedOn only when it gives the job up.
    this.jobLogger.warn({ msg: job.finishedOn ? 'Job failed for good' : 'Job failed; it will be retried', ...describe(job), err: error });
  }
}

function describe(job: Job): Record<string, unknown> {
  const { sessionId, customerNumber } = job.data as { sessionId?: string; customerNumber?: string };
  return {
    queue: job.queueName,
    job: job.name,
    jobId: job.id,
    sessionId,
    customerNumber,
    // Counted when the attempt ended, so this attempt is included.
    attempt: job.attemptsMade,
    durationMs: job.processedOn ? (job.finishedOn ?? Date.now()) - job.processedOn : undefined,
  };
}
