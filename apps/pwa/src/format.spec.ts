import { cardLast4, countryName, formatAmount, formatCountdown, merchantHost } from './format';
import { pickLocale } from './locale';

const english = pickLocale(['en-GB']);
const finnish = pickLocale(['fi-FI']);

describe('format', () => {
  it('formats amounts in the cardholder’s locale, with the currency’s own decimals', () => {
    expect(formatAmount(english, { amount: 3.14, currency: 'EUR' })).toBe('€3.14');
    expect(formatAmount(finnish, { amount: 3.14, currency: 'EUR' })).toBe('3,14\u00a0€');
    expect(formatAmount(finnish, { amount: 1234.5, currency: 'SEK' })).toBe('1\u00a0234,50\u00a0SEK');
    expect(formatAmount(english, { amount: 500, currency: 'JPY' })).toBe('JP¥500');
  });

  it('shows an amount in a currency Intl does not accept with its code, rather than failing', () => {
    expect(formatAmount(english, { amount: 3.14, currency: 'E U' })).toBe('3.14 E U');
  });

  it('names the merchant’s country from an alpha-3, alpha-2 or numeric ISO 3166 code', () => {
    expect(countryName(english, 'FIN')).toBe('Finland');
    expect(countryName(finnish, 'FIN')).toBe('Suomi');
    expect(countryName(english, 'se')).toBe('Sweden');
    expect(countryName(english, '246')).toBe('Finland');
    expect(countryName(finnish, 'USA')).toBe('Yhdysvallat');
  });

  it('shows an unknown country code as it came', () => {
    expect(countryName(english, 'XYZ')).toBe('XYZ');
    expect(countryName(english, 'Finland')).toBe('Finland');
  });

  it('counts down as m:ss, rounding up so 0:00 means the time is really up', () => {
    expect(formatCountdown(119.2)).toBe('2:00');
    expect(formatCountdown(61)).toBe('1:01');
    expect(formatCountdown(0.01)).toBe('0:01');
    expect(formatCountdown(-3)).toBe('0:00');
  });

  it('takes the shop’s host from its URL, and nothing from a URL that does not parse', () => {
    expect(merchantHost('https://www.airline.com/order/64674')).toBe('www.airline.com');
    expect(merchantHost('not a url')).toBeUndefined();
    expect(merchantHost(undefined)).toBeUndefined();
  });

  it('takes the last four digits of a masked card number, and nothing when it does not end in four', () => {
    expect(cardLast4('342170______9554')).toBe('9554');
    expect(cardLast4('342170******')).toBeUndefined();
    expect(cardLast4(null)).toBeUndefined();
  });
});
