import { z } from 'zod';

const base64url = (length: { min: number; max: number }) =>
  z.string().regex(/^[A-Za-z0-9_-]+$/, 'must be base64url').min(length.min).max(length.max);

/** PushSubscription.toJSON() of the browser; the endpoint host is checked separately against PUSH_ALLOWED_HOSTS. */
export const pushSubscriptionSchema = z.object({
  endpoint: z.url({ protocol: /^https$/, error: 'must be an https URL' }).max(2048),
  keys: z.object({
    p256dh: base64url({ min: 86, max: 88 }),
    auth: base64url({ min: 16, max: 24 }),
  }),
});

/** The WebAuthn JSON forms are verified by @simplewebauthn/server; here only their outline and size. */
const webauthnResponse = z
  .object({
    id: base64url({ min: 16, max: 1366 }),
    rawId: base64url({ min: 16, max: 1366 }),
    type: z.literal('public-key'),
    response: z.record(z.string(), z.unknown()),
    clientExtensionResults: z.record(z.string(), z.unknown()).default({}),
    authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
  })
  .loose();

export const activationRequestSchema = z.object({
  activationCode: z.string().min(1).max(100),
});

export const registrationRequestSchema = z.object({
  activationCode: z.string().min(1).max(100),
  credential: webauthnResponse,
  pushSubscription: pushSubscriptionSchema.optional(),
  name: z.string().trim().min(1).max(60).optional(),
});

export const pushSubscriptionRequestSchema = z.object({ pushSubscription: pushSubscriptionSchema });

export const decisionRequestSchema = z.discriminatedUnion('decision', [
  z.object({ decision: z.literal('approve'), credential: webauthnResponse }),
  z.object({ decision: z.literal('decline'), reason: z.enum(['not_me', 'other']).optional() }),
]);

export type DecisionRequest = z.infer<typeof decisionRequestSchema>;

export const sessionIdSchema = z.object({ sessionId: z.uuid({ error: 'must be a UUID' }) });
