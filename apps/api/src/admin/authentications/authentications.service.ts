import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { AssentError, ErrorKind, isTerminal, parseOrReject, resultOf } from '@assent/domain';
import { SessionStore, StoredSession } from '@assent/sessions';
import { Page, SessionRow, SessionTimeline, TimelineEvent } from '../admin-api.types';
import { pageOf } from '../pagination';
import { SESSION_COLUMNS, sessionListSchema, sessionPageQuery } from './authentication-queries';

const sessionIdSchema = z.object({ sessionId: z.uuid({ error: 'must be a UUID' }) });

/**
 * Authentications from their Postgres summaries, with what Redis knows newer for
 * those still in flight (the summary is rewritten only once the callback settles).
 */
@Injectable()
export class AuthenticationsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly sessions: SessionStore,
  ) {}

  async list(query: unknown): Promise<Page<SessionRow>> {
    const filter = parseOrReject(sessionListSchema, query, '$.query');
    const { text, values } = sessionPageQuery(filter);
    const rows: DbSessionRow[] = await this.dataSource.query(text, values);
    const page = pageOf(rows, filter.limit, rowOf, (row) => [row.cursor_at, row.session_id]);
    return { ...page, items: await this.withLiveState(page.items) };
  }

  async one(params: unknown): Promise<SessionRow> {
    const { sessionId } = parseOrReject(sessionIdSchema, params, '$.path');
    const [row] = await this.withLiveState(await this.summaries([sessionId.toLowerCase()]));
    if (!row) throw new AssentError(ErrorKind.NotFound, 'SESSION_NOT_FOUND', 'No such authentication');
    return row;
  }

  /** Everything recorded about one authentication, in order: what support reads to explain its outcome. */
  async timeline(params: unknown): Promise<SessionTimeline> {
    const session = await this.one(params);
    const id = session.sessionId;
    const [pushes, views, audits, attempts] = await Promise.all([
      this.dataSource.query(
        `SELECT device_id, sent_at, duration_ms, status_code, outcome, error FROM push_deliveries WHERE session_id = $1 ORDER BY sent_at, id`,
        [id],
      ),
      this.dataSource.query(`SELECT device_id, kind, first_at FROM challenge_views WHERE session_id = $1`, [id]),
      this.dataSource.query(
        `SELECT type, occurred_at, device_id, details FROM audit_events WHERE session_id = $1 ORDER BY id LIMIT 200`,
        [id],
      ),
      this.dataSource.query(
        `SELECT attempt, result, started_at, duration_ms, status_code, error FROM callback_attempts WHERE session_id = $1 ORDER BY attempt`,
        [id],
      ),
    ]);
    const deviceIds = new Set<string>([
      ...[...pushes, ...views, ...audits].map((row: { device_id: string | null }) => row.device_id).filter((d): d is string => !!d),
      ...(session.decidedByDeviceId ? [session.decidedByDeviceId] : []),
    ]);
    const names = await this.deviceNames([...deviceIds]);
    const device = (deviceId: string | null) => (deviceId ? { id: deviceId, name: names.get(deviceId) ?? null } : undefined);

    const events: TimelineEvent[] = [
      {
        at: session.receivedAt,
        kind: 'webhook',
        details: { merchantName: session.merchantName, merchantCountry: session.merchantCountry, amount: session.amount, currency: session.currency, cardNumber: session.cardNumber },
      },
      ...pushes.map((row: DbPush) => ({
        at: iso(row.sent_at),
        kind: 'push' as const,
        device: device(row.device_id),
        details: { outcome: row.outcome, statusCode: row.status_code, durationMs: row.duration_ms, error: row.error },
      })),
      ...views.map((row: { device_id: string; kind: 'fetched' | 'opened'; first_at: Date }) => ({
        at: iso(row.first_at),
        kind: row.kind,
        device: device(row.device_id),
        details: {},
      })),
      ...audits.flatMap((row: DbAudit) => auditEvent(row, device(row.device_id), session.settledAt)),
      ...(session.settledAt
        ? [{
            at: session.settledAt,
            kind: 'settled' as const,
            device: device(session.decidedByDeviceId),
            details: { state: session.state, result: session.result, declineReason: session.declineReason, errorReason: session.errorReason },
          }]
        : []),
      ...attempts.map((row: DbAttempt) => ({
        at: iso(row.started_at),
        kind: 'callback_attempt' as const,
        details: { attempt: row.attempt, result: row.result, statusCode: row.status_code, durationMs: row.duration_ms, error: row.error },
      })),
      ...(session.callbackOutcome && session.callbackSettledAt
        ? [{ at: session.callbackSettledAt, kind: 'callback_settled' as const, details: { outcome: session.callbackOutcome } }]
        : []),
    ];
    // Stable: events at the same millisecond keep the order they were listed in, which is causal.
    events.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
    return { session, events };
  }

  private async summaries(sessionIds: string[]): Promise<SessionRow[]> {
    const rows: DbSessionRow[] = await this.dataSource.query(`SELECT ${SESSION_COLUMNS} FROM authentication_sessions WHERE session_id = ANY($1::uuid[])`, [sessionIds]);
    const found = rows.map(rowOf);
    // A session the worker has not summarised yet exists only in Redis.
    const missing = sessionIds.filter((id) => !found.some((row) => row.sessionId === id));
    const live = (await this.sessions.getMany(missing)).filter((s): s is StoredSession => !!s);
    return [...found, ...live.map(rowFromRedis)];
  }

  private async withLiveState(rows: SessionRow[]): Promise<SessionRow[]> {
    const inFlight = rows.filter((row) => !row.callbackOutcome);
    const live = await this.sessions.getMany(inFlight.map((row) => row.sessionId));
    const byId = new Map(live.filter((s): s is StoredSession => !!s).map((s) => [s.sessionId, s]));
    return rows.map((row) => {
      const session = byId.get(row.sessionId);
      return session ? { ...row, ...liveFields(session) } : row;
    });
  }

  private async deviceNames(deviceIds: string[]): Promise<Map<string, string>> {
    if (!deviceIds.length) return new Map();
    const rows: { id: string; name: string }[] = await this.dataSource.query(`SELECT id, name FROM devices WHERE id = ANY($1::uuid[])`, [deviceIds]);
    return new Map(rows.map((row) => [row.id, row.name]));
  }
}

interface DbSessionRow {
  session_id: string;
  customer_number: string;
  merchant_name: string;
  merchant_country: string | null;
  amount: string;
  currency: string;
  card_number_masked: string | null;
  state: string;
  result: SessionRow['result'];
  decline_reason: string | null;
  error_reason: string | null;
  decided_by_device_id: string | null;
  received_at: Date;
  settled_at: Date | null;
  callback_outcome: string | null;
  callback_settled_at: Date | null;
  cursor_at: string;
}

interface DbPush {
  device_id: string;
  sent_at: Date;
  duration_ms: number;
  status_code: number | null;
  outcome: string;
  error: string | null;
}

interface DbAudit {
  type: string;
  occurred_at: Date;
  device_id: string | null;
  details: Record<string, unknown>;
}

interface DbAttempt {
  attempt: number;
  result: string;
  started_at: Date;
  duration_ms: number;
  status_code: number | null;
  error: string | null;
}

function auditEvent(row: DbAudit, device: TimelineEvent['device'], settledAt: string | null): TimelineEvent[] {
  const kind = ({ 'session.decided': 'decision', 'assertion.rejected': 'assertion_rejected', 'webhook.rejected': 'webhook_rejected' } as const)[row.type];
  if (!kind) return [];
  // Only the winning decision is audited, just after it settled the session: it happened at the settlement.
  const at = kind === 'decision' && settledAt ? settledAt : iso(row.occurred_at);
  return [{ at, kind, device, details: row.details }];
}

function rowOf(row: DbSessionRow): SessionRow {
  return {
    sessionId: row.session_id,
    customerNumber: row.customer_number,
    merchantName: row.merchant_name,
    merchantCountry: row.merchant_country,
    amount: Number(row.amount),
    currency: row.currency,
    cardNumber: row.card_number_masked,
    state: row.state,
    result: row.result,
    declineReason: row.decline_reason,
    errorReason: row.error_reason,
    decidedByDeviceId: row.decided_by_device_id,
    receivedAt: iso(row.received_at),
    settledAt: row.settled_at ? iso(row.settled_at) : null,
    callbackOutcome: row.callback_outcome,
    callbackSettledAt: row.callback_settled_at ? iso(row.callback_settled_at) : null,
  };
}

function rowFromRedis(session: StoredSession): SessionRow {
  return {
    sessionId: session.sessionId,
    customerNumber: session.customerNumber,
    merchantName: session.merchant.name,
    merchantCountry: session.merchant.country ?? null,
    amount: session.transaction.amount,
    currency: session.transaction.currency,
    cardNumber: session.transaction.cardNumber ?? null,
    receivedAt: new Date(session.receivedAt).toISOString(),
    ...liveFields(session),
  };
}

function liveFields(session: StoredSession) {
  return {
    state: session.state,
    result: isTerminal(session.state) ? resultOf(session.state) : null,
    declineReason: session.declineReason ?? null,
    errorReason: session.errorReason ?? null,
    decidedByDeviceId: session.decidedByDeviceId ?? null,
    settledAt: session.settledAt ? new Date(session.settledAt).toISOString() : null,
    callbackOutcome: session.callbackOutcome ?? null,
    callbackSettledAt: session.callbackSettledAt ? new Date(session.callbackSettledAt).toISOString() : null,
  };
}

function iso(value: Date | string): string {
  return new Date(value).toISOString();
}
