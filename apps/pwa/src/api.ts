/**
 * The device API of contract §4, as the app and its service worker call it. Errors
 * come back as ApiError (the service's errorResponse) or OfflineError (no answer at
 * all); errors.ts turns both into sentences.
 */

import type { ChallengeView, DeviceStatusView, PendingChallenge } from '../../../libs/domain/src/device-api';

// The service's own types for what it answers (types only: no service code comes along).
export type { ChallengeView, DeviceStatusView, PendingChallenge };
export type SessionState = ChallengeView['state'];
export type DeclineReason = 'not_me' | 'other';

export interface RegisteredDevice {
  deviceId: string;
  deviceToken: string;
}

export interface PushSubscriptionJson {
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

/** The service answered with an error (its errorResponse). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    readonly reason: string,
    /** The error's id in the service's log, for support. */
    readonly errorId: string | undefined,
  ) {
    super(`${status} ${errorCode}`);
    this.name = 'ApiError';
  }
}

/** The service could not be reached at all. */
export class OfflineError extends Error {
  constructor() {
    super('offline');
    this.name = 'OfflineError';
  }
}

// The server's clock minus this device's, from the Date header: a phone whose clock
// is a minute off must still count down to the server's timeout, not its own.
let clockOffsetMs = 0;

/** Now, by the server's clock as far as the app knows it. */
export function serverNow(): number {
  return Date.now() + clockOffsetMs;
}

function noteServerClock(response: Response): void {
  const date = Date.parse(response.headers.get('date') ?? '');
  if (Number.isNaN(date)) return;
  // The header has whole seconds: the server's time lies somewhere in the next one.
  const offset = date + 500 - Date.now();
  clockOffsetMs = Math.abs(offset) > 1500 ? offset : 0;
}

// Whether the last call reached the service. navigator.onLine alone misses a phone
// that has a network but no way through it.
let reachable = true;
export const CONNECTIVITY_CHANGED = 'assent:connectivity';

export function serviceReachable(): boolean {
  return reachable;
}

function noteReachable(now: boolean): void {
  if (now === reachable) return;
  reachable = now;
  if (typeof dispatchEvent === 'function') dispatchEvent(new Event(CONNECTIVITY_CHANGED));
}

async function request<T>(method: string, path: string, options: { token?: string; body?: unknown } = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      cache: 'no-store',
    });
  } catch {
    noteReachable(false);
    throw new OfflineError();
  }
  noteReachable(true);
  noteServerClock(response);
  const payload = response.status === 204 ? undefined : await response.json().catch(() => undefined);
  if (!response.ok) {
    const error = (payload ?? {}) as { errorCode?: string; errorReason?: string; id?: string };
    throw new ApiError(response.status, error.errorCode ?? '', error.errorReason ?? '', error.id);
  }
  return payload as T;
}

const challengePath = (sessionId: string) => `/api/v1/device/challenges/${encodeURIComponent(sessionId)}`;

export const api = {
  vapidPublicKey: () => request<{ publicKey: string }>('GET', '/api/v1/push/vapid-public-key'),
  registrationOptions: (activationCode: string) =>
    request<unknown>('POST', '/api/v1/devices/registration-options', { body: { activationCode } }),
  register: (body: { activationCode: string; credential: unknown; name: string }) =>
    request<RegisteredDevice>('POST', '/api/v1/devices', { body }),
  deviceStatus: (token: string) => request<DeviceStatusView>('GET', '/api/v1/device', { token }),
  removeDevice: (token: string) => request<void>('DELETE', '/api/v1/device', { token }),
  updatePushSubscription: (token: string, pushSubscription: PushSubscriptionJson) =>
    request<void>('PUT', '/api/v1/device/push-subscription', { token, body: { pushSubscription } }),
  pendingChallenges: (token: string) => request<PendingChallenge[]>('GET', '/api/v1/device/challenges', { token }),
  challenge: (token: string, sessionId: string) => request<ChallengeView>('GET', challengePath(sessionId), { token }),
  assertionOptions: (token: string, sessionId: string) =>
    request<unknown>('POST', `${challengePath(sessionId)}/assertion-options`, { token }),
  approve: (token: string, sessionId: string, credential: unknown) =>
    request<{ result: string }>('POST', `${challengePath(sessionId)}/decision`, { token, body: { decision: 'approve', credential } }),
  decline: (token: string, sessionId: string, reason?: DeclineReason) =>
    request<{ result: string }>('POST', `${challengePath(sessionId)}/decision`, { token, body: { decision: 'decline', reason } }),
};

/** A 401 means this device's token was revoked (removed elsewhere): the app forgets it. */
export function isRevoked(error: unknown): boolean {
  return error instanceof ApiError && error.status === 401;
}
