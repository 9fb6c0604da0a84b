import type { StoredSession } from '@assent/sessions';
import type { ChallengePush } from '@assent/domain';

/** The notification's words: what is being paid, to whom, and where to approve it. */
export function challengeMessage(session: StoredSession, publicBaseUrl: string): ChallengePush {
  const amount = new Intl.NumberFormat('en', { style: 'currency', currency: session.transaction.currency }).format(
    session.transaction.amount,
  );
  return {
    sessionId: session.sessionId,
    title: `Approve ${amount} at ${session.merchant.name}?`,
    body: session.transaction.cardNumber
      ? `Card ending ${session.transaction.cardNumber.slice(-4)} · tap to approve or decline`
      : 'Tap to approve or decline',
    url: new URL(`/app/challenges/${session.sessionId}`, publicBaseUrl).toString(),
    expiresAt: new Date(session.expiresAt).toISOString(),
    amount: { amount: session.transaction.amount, currency: session.transaction.currency },
    merchant: { name: session.merchant.name },
    cardNumber: session.transaction.cardNumber ?? null,
  };
}
