import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { parseOrReject } from '@assent/domain';
import { AuditEventType, AuditLog } from '@assent/persistence';
import { AuditContext } from '../../common/request-context';
import { AuditEventView, Page } from '../admin-api.types';
import { encodeCursor, pageOf } from '../pagination';
import { AuditFilter, auditFilterSchema, auditPageQuery } from './audit-queries';
import { csvLine } from './csv';

// An export is read in pages of this many rows, so memory stays flat however long the log.
const EXPORT_BATCH = 1000;
const CSV_HEADER = ['id', 'occurred_at', 'type', 'actor', 'customer_number', 'session_id', 'device_id', 'remote_address', 'request_id', 'details'];

@Injectable()
export class AuditService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditLog,
  ) {}

  async list(query: unknown): Promise<Page<AuditEventView>> {
    const filter = parseOrReject(auditFilterSchema, query, '$.query');
    const { text, values } = auditPageQuery(filter);
    const rows: DbAuditEvent[] = await this.dataSource.query(text, values);
    return pageOf(rows, filter.limit, viewOf, (row) => [row.id]);
  }

  /** The filtered log as CSV, newest first; the export itself is audited, since it takes data out. */
  async export(query: unknown, context: AuditContext): Promise<AsyncIterable<string>> {
    const filter = parseOrReject(auditFilterSchema, query, '$.query');
    const { cursor, limit, ...filters } = filter;
    await this.audit.record({ type: AuditEventType.AuditLogExported, ...context, details: { filters } });
    return this.csvRows(filter);
  }

  private async *csvRows(filter: AuditFilter): AsyncIterable<string> {
    yield csvLine(CSV_HEADER);
    let cursor: string | undefined;
    for (;;) {
      const { text, values } = auditPageQuery({ ...filter, cursor }, EXPORT_BATCH);
      const rows: DbAuditEvent[] = await this.dataSource.query(text, values);
      for (const row of rows) {
        yield csvLine([row.id, row.occurred_at.toISOString(), row.type, row.actor, row.customer_number, row.session_id, row.device_id, row.remote_address, row.request_id, row.details]);
      }
      if (rows.length < EXPORT_BATCH) return;
      cursor = encodeCursor([rows[rows.length - 1].id]);
    }
  }
}

interface DbAuditEvent {
  id: string;
  occurred_at: Date;
  type: string;
  actor: string | null;
  customer_number: string | null;
  session_id: string | null;
  device_id: string | null;
  remote_address: string | null;
  request_id: string | null;
  details: Record<string, unknown>;
}

function viewOf(row: DbAuditEvent): AuditEventView {
  return {
    id: row.id,
    occurredAt: row.occurred_at.toISOString(),
    type: row.type,
    actor: row.actor,
    customerNumber: row.customer_number,
    sessionId: row.session_id,
    deviceId: row.device_id,
    remoteAddress: row.remote_address,
    requestId: row.request_id,
    details: row.details,
  };
}
