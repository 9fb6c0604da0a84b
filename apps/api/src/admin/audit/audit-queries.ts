import { z } from 'zod';
import { Conditions, cursorSchema, decodeCursor, limitSchema, prefixPattern, SqlQuery } from '../pagination';

export const auditFilterSchema = z.object({
  type: z.string().regex(/^[a-z_]+(\.[a-z_]+)?\.?$/, 'must be an event type such as device.revoked, or a prefix such as admin.').optional(),
  customerNumber: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1-64 letters, digits, _ or -').optional(),
  sessionId: z.uuid({ error: 'must be a UUID' }).optional(),
  deviceId: z.uuid({ error: 'must be a UUID' }).optional(),
  actor: z.string().trim().min(1).max(254).optional(),
  from: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time' }).optional(),
  to: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time' }).optional(),
  cursor: cursorSchema,
  limit: limitSchema,
});

export type AuditFilter = z.infer<typeof auditFilterSchema>;

export const AUDIT_COLUMNS = 'id, occurred_at, type, actor, customer_number, session_id, device_id, remote_address, request_id, details';

/**
 * Newest first by id (ids grow with insertion, the log's own order). A type ending
 * in "." is a prefix: "admin." is every admin event.
 */
export function auditPageQuery(filter: AuditFilter, limit = filter.limit + 1): SqlQuery {
  const where = new Conditions();
  if (filter.type?.endsWith('.')) where.add((p) => `type LIKE ${p(prefixPattern(filter.type!))}`);
  else if (filter.type) where.add((p) => `type = ${p(filter.type)}`);
  if (filter.customerNumber) where.add((p) => `customer_number = ${p(filter.customerNumber)}`);
  if (filter.sessionId) where.add((p) => `session_id = ${p(filter.sessionId)}`);
  if (filter.deviceId) where.add((p) => `device_id = ${p(filter.deviceId)}`);
  if (filter.actor) where.add((p) => `actor = ${p(filter.actor!.toLowerCase())}`);
  if (filter.from) where.add((p) => `occurred_at >= ${p(filter.from)}`);
  if (filter.to) where.add((p) => `occurred_at < ${p(filter.to)}`);
  if (filter.cursor) where.add((p) => `id < ${p(String(decodeCursor(filter.cursor!)[0]))}`);
  return {
    text: `SELECT ${AUDIT_COLUMNS} FROM audit_events ${where.where()} ORDER BY id DESC LIMIT ${where.param(limit)}`,
    values: where.values,
  };
}
