import { z } from 'zod';
import { AuthenticationResult } from '@assent/domain';
import { Conditions, containsPattern, cursorSchema, decodeCursor, limitSchema, SqlQuery } from '../pagination';

export const sessionListSchema = z.object({
  result: z.enum([...Object.values(AuthenticationResult), 'PENDING']).optional(),
  customerNumber: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1-64 letters, digits, _ or -').optional(),
  merchant: z.string().trim().min(1).max(100).optional(),
  notMe: z.stringbool().optional(),
  cursor: cursorSchema,
  limit: limitSchema,
});

export type SessionListFilter = z.infer<typeof sessionListSchema>;

export const SESSION_COLUMNS = `session_id, customer_number, merchant_name, merchant_country, amount, currency, card_number_masked,
  state, result, decline_reason, error_reason, decided_by_device_id, received_at, settled_at, callback_outcome, callback_settled_at,
  received_at::text AS cursor_at`;

/**
 * Newest first, keyset-paged on (received_at, session_id): every filter has an
 * index ending in those two columns (see the OperationsDashboard migration), and
 * a merchant search uses the trigram index.
 */
export function sessionPageQuery(filter: SessionListFilter): SqlQuery {
  const where = new Conditions();
  if (filter.result === 'PENDING') where.add(() => 'result IS NULL');
  else if (filter.result) where.add((p) => `result = ${p(filter.result)}`);
  if (filter.customerNumber) where.add((p) => `customer_number = ${p(filter.customerNumber)}`);
  if (filter.merchant) where.add((p) => `merchant_name ILIKE ${p(containsPattern(filter.merchant!))}`);
  if (filter.notMe) where.add(() => `decline_reason = 'not_me'`);
  if (filter.cursor) {
    const [receivedAt, sessionId] = decodeCursor(filter.cursor);
    where.add((p) => `(received_at, session_id) < (${p(receivedAt)}::timestamptz, ${p(sessionId)}::uuid)`);
  }
  return {
    text: `SELECT ${SESSION_COLUMNS} FROM authentication_sessions ${where.where()}
      ORDER BY received_at DESC, session_id DESC LIMIT ${where.param(filter.limit + 1)}`,
    values: where.values,
  };
}
