import { COUNTRY_CODES } from './country-codes';
import type { Locale } from './locale';

/** "€3.14" in English, "3,14 €" in Finnish; an unknown currency code is shown as it came. */
export function formatAmount(locale: Locale, amount: { amount: number; currency: string }): string {
  try {
    return new Intl.NumberFormat(locale.tag, { style: 'currency', currency: amount.currency }).format(amount.amount);
  } catch {
    return `${new Intl.NumberFormat(locale.tag).format(amount.amount)} ${amount.currency}`;
  }
}

export function formatDateTime(locale: Locale, iso: string): string {
  return new Intl.DateTimeFormat(locale.tag, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}

export function formatTime(locale: Locale, date: Date): string {
  return new Intl.DateTimeFormat(locale.tag, { timeStyle: 'medium' }).format(date);
}

/** Seconds as m:ss, for the countdown. */
export function formatCountdown(seconds: number): string {
  const whole = Math.max(0, Math.ceil(seconds));
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
}

/** The country's name in the cardholder's language, from an alpha-2, alpha-3 or numeric ISO 3166-1 code. */
export function countryName(locale: Locale, code: string): string {
  const alpha2 = toAlpha2(code.trim().toUpperCase());
  if (!alpha2) return code;
  try {
    return new Intl.DisplayNames([locale.tag], { type: 'region', fallback: 'code' }).of(alpha2) ?? code;
  } catch {
    return code;
  }
}

function toAlpha2(code: string): string | undefined {
  if (/^[A-Z]{2}$/.test(code)) return code;
  const offset = /^[A-Z]{3}$/.test(code) ? 0 : /^\d{3}$/.test(code) ? 5 : -1;
  if (offset < 0) return undefined;
  for (let i = 0; i < COUNTRY_CODES.length; i += 8) {
    if (COUNTRY_CODES.slice(i + offset, i + offset + 3) === code) return COUNTRY_CODES.slice(i + 3, i + 5);
  }
  return undefined;
}

/** The shop's host name, which is what a cardholder can check against the shop they are on. */
export function merchantHost(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).hostname;
  } catch {
    return undefined;
  }
}

/** The last four digits of a masked card number ("342170______9554"), if it shows them. */
export function cardLast4(cardNumber: string | null | undefined): string | undefined {
  return /(\d{4})$/.exec(cardNumber ?? '')?.[1];
}
