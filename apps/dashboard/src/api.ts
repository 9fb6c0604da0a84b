// The dashboard's side of /api/v1/admin: the shapes it reads, and one fetch that
// sends the session cookie and, for every change, the CSRF token.

export type Role = 'viewer' | 'operator' | 'admin';
export type Result = 'SUCCESS' | 'FAIL' | 'ERROR' | 'TIMEOUT';

export interface Identity {
  email: string;
  role: Role;
  csrfToken: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface SessionRow {
  sessionId: string;
  customerNumber: string;
  merchantName: string;
  merchantCountry: string | null;
  amount: number;
  currency: string;
  cardNumber: string | null;
  state: string;
  result: Result | null;
  declineReason: string | null;
  errorReason: string | null;
  decidedByDeviceId: string | null;
  receivedAt: string;
  settledAt: string | null;
  callbackOutcome: string | null;
  callbackSettledAt: string | null;
}

export interface TimelineEvent {
  at: string;
  kind: 'webhook' | 'webhook_rejected' | 'push' | 'fetched' | 'opened' | 'assertion_rejected' | 'decision' | 'settled' | 'callback_attempt' | 'callback_settled';
  device?: { id: string; name: string | null };
  details: Record<string, any>;
}

export interface Percentiles {
  p50: number | null;
  p95: number | null;
}

export interface Overview {
  window: 'hour' | 'day';
  from: string;
  to: string;
  bucketSeconds: number;
  totals: {
    total: number;
    SUCCESS: number;
    FAIL: number;
    ERROR: number;
    TIMEOUT: number;
    PENDING: number;
    notMe: number;
    approvalRate: number | null;
    decisionMs: Percentiles;
    callback: { settled: number; delivered: number; successRate: number | null; latencyMs: Percentiles };
    push: { sent: number; failed: number };
  };
  series: { at: string; SUCCESS: number; FAIL: number; ERROR: number; TIMEOUT: number; PENDING: number; decisionP50: number | null; decisionP95: number | null; pushFailed: number }[];
  notMe: SessionRow[];
}

export interface CardholderSummary {
  customerNumber: string;
  displayName: string | null;
  activeDevices: number;
  createdAt: string;
}

export interface DeviceView {
  id: string;
  name: string;
  status: 'active' | 'revoked';
  mode: 'push' | 'poll';
  pushStatus: 'active' | 'none' | 'expired';
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface CardholderDetail extends CardholderSummary {
  devices: DeviceView[];
  enrollments: { createdAt: string; expiresAt: string; usedAt: string | null }[];
}

export interface CreatedEnrollment {
  activationCode: string;
  activationUrl: string;
  expiresAt: string;
  qrCodeSvg: string;
}

export interface AuditEventView {
  id: string;
  occurredAt: string;
  type: string;
  actor: string | null;
  customerNumber: string | null;
  sessionId: string | null;
  deviceId: string | null;
  remoteAddress: string | null;
  requestId: string | null;
  details: Record<string, unknown>;
}

export interface AdminUserView {
  id: string;
  email: string;
  role: Role;
  locked: boolean;
  disabled: boolean;
  lastSignInAt: string | null;
  createdAt: string;
}

/** The SessionEvent the API relays from Redis (libs/sessions/src/session-events.ts). */
export type SessionEvent =
  | { type: 'session.received'; at: number; session: Headline }
  | { type: 'session.settled'; at: number; session: Headline & { state: string; decidedByDeviceId?: string; declineReason?: string; errorReason?: string } }
  | { type: 'callback.settled'; at: number; sessionId: string; callbackOutcome: string };

export interface Headline {
  sessionId: string;
  customerNumber: string;
  merchantName: string;
  amount: number;
  currency: string;
  cardNumber: string | null;
  receivedAt: number;
}

/** An errorResponse from the API. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
    readonly id?: string,
  ) {
    super(message);
  }
}

let csrfToken = '';
let onSignedOut: () => void = () => undefined;

export function useIdentity(identity: Identity | null, signedOut: () => void): void {
  csrfToken = identity?.csrfToken ?? '';
  onSignedOut = signedOut;
}

export async function api<T>(path: string, options: { method?: string; body?: unknown; query?: Record<string, string | undefined> } = {}): Promise<T> {
  const url = new URL(`/api/v1/admin/${path}`, location.origin);
  for (const [name, value] of Object.entries(options.query ?? {})) if (value) url.searchParams.set(name, value);
  const method = options.method ?? 'GET';
  const response = await fetch(url, {
    method,
    credentials: 'same-origin',
    headers: {
      accept: 'application/json',
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(method !== 'GET' ? { 'x-csrf-token': csrfToken } : {}),
    },
    body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
  });
  if (response.status === 204) return undefined as T;
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    if (response.status === 401 && path !== 'sign-in') onSignedOut();
    throw new ApiError(response.status, body.errorCode ?? 'UNKNOWN', body.message ?? `The server answered ${response.status}`, body.id);
  }
  return body as T;
}

export function exportUrl(query: Record<string, string | undefined>): string {
  const url = new URL('/api/v1/admin/audit-events/export.csv', location.origin);
  for (const [name, value] of Object.entries(query)) if (value) url.searchParams.set(name, value);
  return url.pathname + url.search;
}
