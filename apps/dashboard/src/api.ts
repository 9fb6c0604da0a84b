// The dashboard's side of /api/v1/admin: the shapes it reads, and one fetch that
// sends the session cookie and, for every change, the CSRF token.

// The shapes are the API's own (types only: nothing of the server is bundled).
import type { AdminIdentity, AdminRole } from '../../api/src/admin/admin-api.types';
export type {
  AdminUserView,
  AuditEventView,
  CardholderDetail,
  CardholderSummary,
  DeviceView,
  EnrollmentCode,
  Overview,
  Page,
  SessionRow,
  SessionTimeline,
  TimelineEvent,
} from '../../api/src/admin/admin-api.types';
export type { SessionEvent } from '../../../libs/sessions/src/session-events';

export type Role = AdminRole;
export type Identity = AdminIdentity;

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
