/**
 * What /api/v1/admin answers, shared by the API and the dashboard (apps/dashboard
 * imports these types), so the two cannot drift. Types only, and no imports: the
 * dashboard's browser build type-checks this file too.
 */

export type AdminRole = 'viewer' | 'operator' | 'admin';

/** One page of a list, newest first, and the cursor of the next page (null on the last). */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** What the dashboard learns about the signed-in user. */
export interface AdminIdentity {
  email: string;
  role: AdminRole;
  csrfToken: string;
}

/** One authentication as the dashboard lists it. */
export interface SessionRow {
  sessionId: string;
  customerNumber: string;
  merchantName: string;
  merchantCountry: string | null;
  amount: number;
  currency: string;
  cardNumber: string | null;
  state: string;
  result: 'SUCCESS' | 'FAIL' | 'ERROR' | 'TIMEOUT' | null;
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

export interface SessionTimeline {
  session: SessionRow;
  events: TimelineEvent[];
}

export interface Percentiles {
  p50: number | null;
  p95: number | null;
}

export interface OverviewBucket {
  at: string;
  SUCCESS: number;
  FAIL: number;
  ERROR: number;
  TIMEOUT: number;
  PENDING: number;
  decisionP50: number | null;
  decisionP95: number | null;
  pushFailed: number;
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
    /** SUCCESS among the sessions that ended; null when none ended. */
    approvalRate: number | null;
    decisionMs: Percentiles;
    callback: { settled: number; delivered: number; successRate: number | null; latencyMs: Percentiles };
    push: { sent: number; failed: number };
  };
  series: OverviewBucket[];
  /** The latest "not me" declines, whatever the window: each may be card fraud. */
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
  /** push: reached by Web Push; poll: the app fetches its challenges (enrolled without push, or its subscription expired). */
  mode: 'push' | 'poll';
  pushStatus: 'active' | 'none' | 'expired';
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface EnrollmentView {
  createdAt: string;
  expiresAt: string;
  usedAt: string | null;
}

export interface CardholderDetail extends CardholderSummary {
  devices: DeviceView[];
  enrollments: EnrollmentView[];
}

/** An activation code created from the dashboard (contract §3's answer), with a QR code of its link. */
export interface EnrollmentCode {
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

/** An admin user as the dashboard lists it: never its password hash. */
export interface AdminUserView {
  id: string;
  email: string;
  role: AdminRole;
  locked: boolean;
  disabled: boolean;
  lastSignInAt: string | null;
  createdAt: string;
}
