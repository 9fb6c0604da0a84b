/**
 * The few ISO 4217 currencies and ISO 3166 countries the sandbox's parties
 * translate between: merchants speak alphabetic codes, 3-D Secure messages
 * numeric ones (EMV 3DS `purchaseCurrency`, `merchantCountryCode`).
 */
const CURRENCIES: Record<string, { numeric: string; exponent: number }> = {
  EUR: { numeric: '978', exponent: 2 },
  SEK: { numeric: '752', exponent: 2 },
  NOK: { numeric: '578', exponent: 2 },
  DKK: { numeric: '208', exponent: 2 },
  GBP: { numeric: '826', exponent: 2 },
  USD: { numeric: '840', exponent: 2 },
  JPY: { numeric: '392', exponent: 0 },
};

const COUNTRIES: Record<string, string> = { FIN: '246', SWE: '752', NOR: '578', DNK: '208', GBR: '826', USA: '840', DEU: '276' };

export const SUPPORTED_CURRENCIES = Object.keys(CURRENCIES);

export function currencyByAlpha(alpha: string): { numeric: string; exponent: number } | undefined {
  return CURRENCIES[alpha];
}

export function currencyAlphaOf(numeric: string): string | undefined {
  return Object.keys(CURRENCIES).find((alpha) => CURRENCIES[alpha].numeric === numeric);
}

export function countryNumericOf(alpha3: string): string | undefined {
  return COUNTRIES[alpha3];
}

export function countryAlphaOf(numeric: string): string | undefined {
  return Object.keys(COUNTRIES).find((alpha) => COUNTRIES[alpha] === numeric);
}
