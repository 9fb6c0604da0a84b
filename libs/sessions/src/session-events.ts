import { DeclineReason, SessionState } from '@assent/domain';
import type { CallbackOutcome, NewSession } from './stored-session';

/** What the live view of one session shows: enough to draw a table row and filter it. */
export interface SessionHeadline {
  sessionId: string;
  customerNumber: string;
  merchantName: string;
  amount: number;
  currency: string;
  /** Masked, as stored. */
  cardNumber: string | null;
  receivedAt: number;
}

/**
 * A session's state changes, published on Redis by whichever process made them
 * (the API for a webhook or a decision, the worker for a timeout, an error or a
 * callback), from inside the Lua script that made the change, so an event is
 * published exactly when, and only if, the change happened. Subscribers (the
 * dashboard's live view) may miss events while disconnected and then reload.
 */
export type SessionEvent =
  | { type: 'session.received'; at: number; session: SessionHeadline }
  | {
      type: 'session.settled';
      at: number;
      session: SessionHeadline & { state: SessionState; decidedByDeviceId?: string; declineReason?: DeclineReason; errorReason?: string };
    }
  | { type: 'callback.settled'; at: number; sessionId: string; callbackOutcome: CallbackOutcome };

export function headlineOf(session: Pick<NewSession, 'sessionId' | 'customerNumber' | 'merchant' | 'transaction' | 'receivedAt'>): SessionHeadline {
  return {
    sessionId: session.sessionId,
    customerNumber: session.customerNumber,
    merchantName: session.merchant.name,
    amount: session.transaction.amount,
    currency: session.transaction.currency,
    cardNumber: session.transaction.cardNumber ?? null,
    receivedAt: session.receivedAt,
  };
}
