import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { DeferredRecords } from './deferred-records';
import { CallbackAttempt, PushDelivery } from './entities';

export type CallbackAttemptRow = Omit<CallbackAttempt, 'id'>;
export type PushDeliveryRow = Omit<PushDelivery, 'id'>;

/** The record of every callback attempt and every push sent. */
@Injectable()
export class DeliveryRecords {
  constructor(
    @InjectRepository(CallbackAttempt) private readonly attempts: Repository<CallbackAttempt>,
    @InjectRepository(PushDelivery) private readonly pushes: Repository<PushDelivery>,
    private readonly deferred: DeferredRecords,
  ) {}

  recordCallbackAttempt(attempt: CallbackAttemptRow): Promise<void> {
    return this.deferred.writeOrDefer({ kind: 'callback-attempt', attempt }, () => this.writeCallbackAttempt(attempt));
  }

  /** A session's pushes, one row per device, in one statement. */
  recordPushes(deliveries: PushDeliveryRow[]): Promise<void> {
    if (!deliveries.length) return Promise.resolve();
    return this.deferred.writeOrDefer({ kind: 'push-deliveries', deliveries }, () => this.writePushes(deliveries));
  }

  // A deferred row has been through JSON: its times come back as strings.
  async writeCallbackAttempt(attempt: CallbackAttemptRow): Promise<void> {
    await this.attempts.insert({ ...attempt, startedAt: new Date(attempt.startedAt) });
  }

  async writePushes(deliveries: PushDeliveryRow[]): Promise<void> {
    await this.pushes.insert(deliveries.map((delivery) => ({ ...delivery, sentAt: new Date(delivery.sentAt) })));
  }
}
