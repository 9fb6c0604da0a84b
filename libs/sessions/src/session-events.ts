/**
 * A session's state changes, published on Redis by whichever process made them
 * (the API for a webhook or a decision, the worker for a timeout, an error or a
 * callback), from inside the Lua script that made the change, so an event is
 * published exactly when, and only if, the change happened. Subscribers (the
 * dashboard's live view) may miss events while disconnected and then reload.
 *
 * Types only, and no imports: the dashboard's browser build reads them too.
 */
export type SessionEvent =
  | { type: 'session.received'; at: number; session: SessionHeadline }
  | { type: 'session.settled'; at: number; session: SessionHeadline & SettledFields }
  | { type: 'callback.settled'; at: number; sessionId: string; callbackOutcome: CallbackOutcome };

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

export interface SettledFields {
  state: 'APPROVED' | 'DECLINED' | 'ERROR' | 'TIMEOUT';
  decidedByDeviceId?: string;
  declineReason?: 'not_me' | 'other';
  errorReason?: string;
}

/** How delivery of the result to Enfuce ended. */
export type CallbackOutcome = 'delivered' | 'rejected' | 'deadline_passed' | 'session_lost';
