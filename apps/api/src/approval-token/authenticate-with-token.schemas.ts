import { z } from 'zod';
import { webhookBodySchema, webhookParamsSchema } from '@assent/enfuce';

// Google Standard Payments identifiers: short printable strings.
const identifier = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces');

/**
 * The authenticateWithToken request of Google Standard Payments (seed 004), with our
 * approval token as the one member of the `existingToken` union. Unknown fields are
 * dropped (parse, don't act), so they do not count when a retry is compared either.
 */
export const authenticateWithTokenRequestSchema = z.object({
  requestHeader: z.object({
    protocolVersion: z.object({ major: z.literal(1, { error: 'must be 1' }) }),
    requestId: identifier,
    // Standard Payments writes int64 values as decimal strings.
    requestTimestamp: z.object({ epochMillis: z.string().regex(/^\d{1,16}$/, 'must be milliseconds since the epoch, as a decimal string') }),
    paymentIntegratorAccountId: identifier,
  }),
  existingToken: z.object({
    approvalToken: z.object({
      token: z.string().min(1).max(200),
      // Whom the token must prove: always named, so one cardholder's token is never taken for another's.
      customerNumber: webhookParamsSchema.shape.customerNumber,
      // What it must prove, when the caller knows it: checked against what the cardholder approved.
      sessionId: z.uuid({ error: 'must be a UUID' }).optional(),
      amount: webhookBodySchema.shape.transaction.shape.amount.optional(),
      merchantName: webhookBodySchema.shape.merchant.shape.name.optional(),
    }),
  }),
});

export type AuthenticateWithTokenRequest = z.infer<typeof authenticateWithTokenRequestSchema>;

/** The AuthenticateWithTokenResponse of seed 004. */
export interface AuthenticateWithTokenResponse {
  responseHeader: { responseTimestamp: { epochMillis: string } };
  result: { success: Record<string, never> } | { authenticationFailed: Record<string, never> };
}
