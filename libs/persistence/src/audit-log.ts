import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { DeferredRecords } from './deferred-records';
import { AuditEvent, AuditEventType } from './entities';

export interface AuditEntry {
  type: AuditEventType;
  customerNumber?: string | null;
  sessionId?: string | null;
  deviceId?: string | null;
  remoteAddress?: string | null;
  requestId?: string | null;
  /** The admin user's email, for admin actions. */
  actor?: string | null;
  details?: Record<string, unknown>;
}

/** The append-only log of security events. */
@Injectable()
export class AuditLog {
  private readonly logger = new Logger(AuditLog.name);
  private readonly inBackground = new Set<Promise<void>>();

  constructor(
    @InjectRepository(AuditEvent) private readonly events: Repository<AuditEvent>,
    private readonly deferred: DeferredRecords,
  ) {}

  async record(entry: AuditEntry): Promise<void> {
    await this.events.insert({ ...entry, details: (entry.details ?? {}) as never });
  }

  /**
   * For paths that must not wait on Postgres (a rejected webhook answers from Redis
   * alone): the event is written in the background, queued in Redis while Postgres
   * is unreachable, and any other failure to write it is logged rather than failing
   * the request it describes.
   */
  recordInBackground(entry: AuditEntry): void {
    const write = this.deferred
      .writeOrDefer({ kind: 'audit-event', entry }, () => this.record(entry))
      .catch((error: Error) => this.logger.error({ msg: 'Could not write audit event', err: error, auditType: entry.type }))
      .finally(() => this.inBackground.delete(write));
    this.inBackground.add(write);
  }

  /** Resolves once the background writes under way have ended: a graceful shutdown waits for them before closing the database. */
  async settled(): Promise<void> {
    while (this.inBackground.size) await Promise.all(this.inBackground);
  }
}
