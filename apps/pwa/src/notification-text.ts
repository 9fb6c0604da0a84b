import { cardLast4, formatAmount } from './format';
import { locale, t } from './messages';

/** The push message the worker sends (libs/push/src/challenge-message.ts). */
export interface ChallengePush {
  sessionId: string;
  title: string;
  body: string;
  url: string;
  expiresAt: string;
  amount?: { amount: number; currency: string };
  merchant?: { name: string };
  cardNumber?: string | null;
}

/** The notification's words in the cardholder's language; the server's English words when the message lacks the details. */
export function challengeNotification(push: ChallengePush): { title: string; body: string } {
  if (!push.amount || !push.merchant?.name) return { title: push.title, body: push.body };
  const last4 = cardLast4(push.cardNumber);
  return {
    title: t('notificationTitle', { amount: formatAmount(locale, push.amount), merchant: push.merchant.name }),
    body: last4 ? t('notificationBody', { last4 }) : t('notificationBodyNoCard'),
  };
}

export function declinedNotification(push: Pick<ChallengePush, 'amount' | 'merchant'>): { title: string; body: string } {
  const title =
    push.amount && push.merchant?.name
      ? t('notificationDeclinedTitle', { amount: formatAmount(locale, push.amount), merchant: push.merchant.name })
      : t('declinedTitle');
  return { title, body: t('notificationDeclinedBody') };
}
