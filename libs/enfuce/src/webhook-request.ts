import { z } from 'zod';
import { AssentError, ErrorKind, maskCardNumber } from '@assent/domain';

// Parse, don't act (seed 000): unknown fields are accepted and dropped.
const text = (max: number) => z.string().trim().min(1).max(max);

export const webhookBodySchema = z.object({
  callbackUrl: z.string().min(1).max(2048),
  transaction: z.object({
    type: text(40).optional(),
    cardId: text(64).optional(),
    cardNumber: z.string().regex(/^[0-9_*Xx \-]{10,23}$/, 'must be a masked card number').transform(maskCardNumber).optional(),
    timestamp: z.iso.datetime({ offset: true }).optional(),
    amount: z.object({
      amount: z.number().finite().nonnegative().max(1e12),
      currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as EUR'),
    }),
  }),
  merchant: z.object({
    description: text(200).optional(),
    name: text(120),
    country: z.string().regex(/^[A-Z]{2,3}$/, 'must be an ISO 3166 country code').optional(),
    url: z.url({ protocol: /^https?$/ }).max(2048).optional(),
  }),
});

export type WebhookBody = z.infer<typeof webhookBodySchema>;

export const webhookParamsSchema = z.object({
  customerNumber: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1-64 letters, digits, _ or -'),
  sessionId: z.uuid({ error: 'must be a UUID' }),
});

/**
 * Checks a webhook's callbackUrl. It must lie under the configured Enfuce base (our
 * SSRF guard: the callback credentials are only ever sent to Enfuce) and name this
 * very request, so one session's result can never be posted to another's URL.
 * Returns the institution code the URL names.
 */
export function institutionFromCallbackUrl(
  callbackUrl: string,
  allowedBase: string,
  expected: { customerNumber: string; sessionId: string },
): string {
  const reject = (why: string) => {
    throw new AssentError(
      ErrorKind.Validation,
      'CALLBACK_URL_NOT_ALLOWED',
      `$.callbackUrl ${why}`,
      '$.callbackUrl',
    );
  };
  let url: URL;
  try {
    url = new URL(callbackUrl);
  } catch {
    return reject('is not a URL');
  }
  const base = new URL(allowedBase);
  const basePath = base.pathname.replace(/\/+$/, '');
  if (url.origin !== base.origin || url.username || url.password || url.search || url.hash) {
    return reject('is not under the allowed Enfuce callback base URL');
  }
  if (!url.pathname.startsWith(`${basePath}/`)) return reject('is not under the allowed Enfuce callback base URL');
  const segments = url.pathname.slice(basePath.length + 1).split('/').map(safeDecode);
  if (segments.length !== 3 || segments.some((segment) => !segment)) {
    return reject('must end with /{institutionCode}/{customerNumber}/{sessionId}');
  }
  const [institutionCode, customerNumber, sessionId] = segments;
  if (customerNumber !== expected.customerNumber || sessionId.toLowerCase() !== expected.sessionId.toLowerCase()) {
    return reject('does not match the customerNumber and sessionId of this request');
  }
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(institutionCode)) return reject('has an invalid institutionCode');
  return institutionCode;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return '';
  }
}
