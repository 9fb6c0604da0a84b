import type { ChallengePush as SentPush } from '../../../libs/domain/src/device-api';
import { cardLast4, formatAmount } from './format';
import { locale, t } from './messages';

type Details = 'amount' | 'merchant' | 'cardNumber';

/** The push message the worker sends; one from an older worker may lack the details the wording needs. */
export type ChallengePush = Omit<SentPush, Details> & Partial<Pick<SentPush, Details>>;

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
