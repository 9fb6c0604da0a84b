import { DeclineReason, SessionState } from '@assent/domain';
import type { CallbackOutcome } from './session-events';

export interface SessionMerchant {
  name: string;
  description?: string;
  country?: string;
  url?: string;
}

export interface SessionTransaction {
  amount: number;
  currency: string;
  cardNumber?: string;
  type?: string;
  cardId?: string;
  timestamp?: string;
}

/** What Redis holds about one authentication, as the rest of the code sees it. */
export interface StoredSession {
  sessionId: string;
  state: SessionState;
  customerNumber: string;
  institutionCode: string;
  callbackUrl: string;
  /** When the webhook arrived (epoch ms): Enfuce's 150 s run from here. */
  receivedAt: number;
  /** When the session times out (epoch ms): receivedAt + AUTH_TIMEOUT_SECONDS. */
  expiresAt: number;
  /** Server nonce of the dynamic-linking challenge. */
  nonce: string;
  transaction: SessionTransaction;
  merchant: SessionMerchant;
  settledAt?: number;
  decidedByDeviceId?: string;
  declineReason?: DeclineReason;
  /** Why the session ended in ERROR, for the operator. */
  errorReason?: string;
  callbackOutcome?: CallbackOutcome;
  callbackSettledAt?: number;
  /** Devices whose push service accepted this session's push. */
  pushedDeviceIds: string[];
  /** The webhook's W3C trace context, when it was traced. */
  traceparent?: string;
}


export interface NewSession {
  sessionId: string;
  customerNumber: string;
  institutionCode: string;
  callbackUrl: string;
  receivedAt: number;
  transaction: SessionTransaction;
  merchant: SessionMerchant;
}

export type CreateOutcome = 'created' | 'duplicate' | 'conflict' | 'no_device';

export interface Settlement {
  state: Exclude<SessionState, SessionState.Pending>;
  decidedByDeviceId?: string;
  declineReason?: DeclineReason;
  errorReason?: string;
}

/** settled: this call ended the session; already: an earlier one had; missing: no such session. */
export type SettleOutcome = { outcome: 'settled' } | { outcome: 'already'; state: SessionState } | { outcome: 'missing' };

export function sessionFromHash(sessionId: string, hash: Record<string, string>): StoredSession | null {
  if (!hash.state) return null;
  const pushedDeviceIds = Object.keys(hash)
    .filter((field) => field.startsWith('pushed:'))
    .map((field) => field.slice('pushed:'.length));
  return {
    sessionId,
    state: hash.state as SessionState,
    customerNumber: hash.customerNumber,
    institutionCode: hash.institutionCode,
    callbackUrl: hash.callbackUrl,
    receivedAt: Number(hash.receivedAt),
    expiresAt: Number(hash.expiresAt),
    nonce: hash.nonce,
    transaction: JSON.parse(hash.transaction),
    merchant: JSON.parse(hash.merchant),
    settledAt: optionalNumber(hash.settledAt),
    decidedByDeviceId: hash.decidedByDeviceId || undefined,
    declineReason: (hash.declineReason as DeclineReason) || undefined,
    errorReason: hash.errorReason || undefined,
    callbackOutcome: (hash.callbackOutcome as CallbackOutcome) || undefined,
    callbackSettledAt: optionalNumber(hash.callbackSettledAt),
    pushedDeviceIds,
    traceparent: hash.traceparent || undefined,
  };
}

function optionalNumber(value: string | undefined): number | undefined {
  return value ? Number(value) : undefined;
}
