import type { StoredSession } from '@assent/sessions';
import type { ChallengePush } from '@assent/domain';

// Building a NumberFormat costs more than a push's encryption; one per currency serves all.
const currencyFormats = new Map<string, Intl.NumberFormat>();

function formatAmount(amount: number, currency: string): string {
  let format = currencyFormats.get(currency);
  if (!format) {
    format = new Intl.NumberFormat('en', { style: 'currency', currency });
    currencyFormats.set(currency, format);
  }
  return format.format(amount);
}

/** The notification's words: what is being paid, to whom, and where to approve it. */
export function challengeMessage(session: StoredSession, publicBaseUrl: string): ChallengePush {
  const amount = formatAmount(session.transaction.amount, session.transaction.currency);
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
