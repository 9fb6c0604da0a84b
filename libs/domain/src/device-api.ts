import type { SessionState } from './session-state';

// What the device API (contract §4) and the push message carry, shared by the service
// that sends them and the cardholder app (apps/pwa) that reads them, so the two cannot
// drift apart. Types only: the app imports them without any of the service's code.

/** Push status: none = enrolled without push (poll mode); expired = the push service said 404/410. */
export type PushStatus = 'active' | 'none' | 'expired';

/** A pending challenge as the device sees it. */
export interface PendingChallenge {
  sessionId: string;
  merchant: { name: string; description?: string; country?: string; url?: string };
  amount: { amount: number; currency: string };
  cardNumber: string | null;
  expiresAt: string;
}

/** One challenge and where it stands, for the approval screen a push opens. */
export interface ChallengeView extends PendingChallenge {
  state: `${SessionState}`;
}

/** The device's own status. */
export interface DeviceStatusView {
  deviceId: string;
  name: string;
  pushStatus: PushStatus;
  createdAt: string;
  lastUsedAt: string | null;
}

/**
 * The push message, shown by the app's service worker. Beyond the contract's
 * fields it carries the amount, merchant and masked card number, so the service
 * worker can word the notification in the cardholder's own language.
 */
export interface ChallengePush {
  sessionId: string;
  title: string;
  body: string;
  url: string;
  expiresAt: string;
  amount: { amount: number; currency: string };
  merchant: { name: string };
  cardNumber: string | null;
}
