import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import { z } from 'zod';
import type { SandboxEnvironment } from '@assent/config';
import { passesLuhn } from '../cards/test-cards';
import { BoundedMap, KEPT_PER_PARTY } from '../common/bounded-map';
import { callHttp, describeFailure } from '../common/http-client';
import { countryNumericOf, currencyByAlpha, SUPPORTED_CURRENCIES } from '../common/iso-codes';
import { THREE_DS_SERVER_API_KEY } from '../common/sandbox-credentials';
import { ARes, Erro, RReq } from '../three-ds-server/messages';
import { PurchaseTrace } from '../trace/purchase-trace';
import { bodyDoesNotMatchSchema, fieldHasInvalidValue, WorldpayError } from './worldpay-errors';

export type Outcome = 'challenged' | 'authenticated' | 'authenticationFailed' | 'unavailable';

/** Seed 002's 200 answer, and seed 003's (without `challenge`). */
export interface AuthenticationAnswer {
  outcome: Outcome;
  transactionReference: string;
  authentication?: { version: string; eci?: string; authenticationValue?: string; transactionId?: string };
  challenge?: { reference: string; url: string; payload: string };
  _links?: Record<string, { href: string }>;
}

export type MerchantAnswer = { status: number; body: AuthenticationAnswer | WorldpayError };

const text = (max: number) => z.string().min(1).max(max);

const authenticateSchema = z.looseObject({
  transactionReference: text(64),
  merchant: z.looseObject({ entity: text(64) }),
  instruction: z.looseObject({
    value: z.looseObject({
      amount: z.number().int().min(0).max(99_999_999_999),
      currency: z.enum(SUPPORTED_CURRENCIES as [string, ...string[]]),
    }),
    paymentInstrument: z.looseObject({
      type: z.literal('card/front'),
      cardHolderName: z.string().max(255).optional(),
      cardNumber: z.string().regex(/^\d{13,19}$/, 'Must be 13 to 19 digits').refine(passesLuhn, 'Is not a valid card number'),
      expiryDate: z.looseObject({ month: z.number().int().min(1).max(12), year: z.number().int().min(2000).max(2099) }),
    }),
  }),
  deviceData: z.looseObject({
    acceptHeader: text(2048),
    userAgentHeader: text(2048),
    collectionReference: z.string().max(128).optional(),
    browserLanguage: z.string().min(1).max(8).optional(),
  }),
  challenge: z.looseObject({
    returnUrl: z.url({ protocol: /^https?$/ }).max(256),
    preference: z.enum(['noPreference', 'noChallengeRequested', 'challengeRequested', 'challengeMandated']).optional(),
    windowSize: z.enum(['390x400', '250x400', '600x400', 'fullPage']).optional(),
  }),
  riskData: z.looseObject({}).optional(),
});

const verificationSchema = z.looseObject({
  transactionReference: text(64),
  merchant: z.looseObject({ entity: text(64) }),
  challenge: z.looseObject({ reference: text(128) }),
});

// The 3DS requestor indicator for each Worldpay challenge preference (EMV threeDSRequestorChallengeInd).
const CHALLENGE_INDICATOR = { noPreference: '01', noChallengeRequested: '02', challengeRequested: '03', challengeMandated: '04' } as const;

/** The sandbox shop as the acquirer on-boarded it. */
const MERCHANT_PROFILE = { name: 'Sandbox Shop', mcc: '5399', country: 'FIN', acquirerBIN: '400551', requestorId: 'sandbox-shop' };

interface PendingChallenge {
  transactionReference: string;
  entity: string;
  threeDSServerTransID: string;
  version: string;
}

/**
 * The merchant's payment gateway, as Worldpay Access's 3DS API describes it
 * (seeds 002–003): `authenticate` turns the order into an AReq for the 3-D Secure
 * server and answers `challenged` with a reference; `verification` fetches the
 * challenge's result (3dsecure.io's `/postauth`) and answers `authenticated`,
 * `authenticationFailed` or `unavailable`.
 */
export class MerchantApi {
  private readonly challenges = new BoundedMap<string, PendingChallenge>(KEPT_PER_PARTY);

  constructor(
    private readonly env: SandboxEnvironment,
    private readonly trace: PurchaseTrace,
    private readonly log: FastifyBaseLogger,
  ) {}

  async authenticate(body: unknown): Promise<MerchantAnswer> {
    const parsed = authenticateSchema.safeParse(body);
    if (!parsed.success) return { status: 400, body: bodyDoesNotMatchSchema(body, parsed.error.issues) };
    const request = parsed.data;
    const { transactionReference } = request;
    const amount = request.instruction.value;
    this.trace.record(transactionReference, 'merchant', `Authenticate ${formatMinor(amount.amount, amount.currency)}: AReq to the 3-D Secure server`);

    const answer = await callHttp<ARes | Erro>(`${this.env.SANDBOX_PUBLIC_URL}/3ds-server/auth`, {
      headers: { apikey: THREE_DS_SERVER_API_KEY },
      body: this.areqFor(request),
      // The 3-D Secure server itself gives the directory server SANDBOX_DS_TIMEOUT_MS.
      timeoutMs: this.env.SANDBOX_DS_TIMEOUT_MS + 5000,
    });
    if (!answer.ok || answer.body?.messageType !== 'ARes') return this.upstreamFailed(transactionReference, describeFailure(answer), answer.body);
    const ares = answer.body;
    this.trace.link(ares.threeDSServerTransID, transactionReference);

    if (ares.transStatus !== 'C') return this.answer(transactionReference, answerFor(transactionReference, ares));
    const reference = randomUUID();
    this.challenges.set(reference, { transactionReference, entity: request.merchant.entity, threeDSServerTransID: ares.threeDSServerTransID, version: ares.messageVersion });
    const creq = { messageType: 'CReq', messageVersion: ares.messageVersion, threeDSServerTransID: ares.threeDSServerTransID, acsTransID: ares.acsTransID, challengeWindowSize: '05' };
    return this.answer(transactionReference, {
      outcome: 'challenged',
      transactionReference,
      authentication: { version: ares.messageVersion },
      challenge: { reference, url: ares.acsURL!, payload: Buffer.from(JSON.stringify(creq)).toString('base64url') },
      _links: { '3ds:verify': { href: `${this.env.SANDBOX_PUBLIC_URL}/merchant-api/verifications/customers/3ds/verification` } },
    });
  }

  async verification(body: unknown): Promise<MerchantAnswer> {
    const parsed = verificationSchema.safeParse(body);
    if (!parsed.success) return { status: 400, body: bodyDoesNotMatchSchema(body, parsed.error.issues) };
    const { transactionReference, merchant, challenge } = parsed.data;
    const pending = this.challenges.get(challenge.reference);
    if (!pending || pending.transactionReference !== transactionReference || pending.entity !== merchant.entity) {
      return { status: 400, body: fieldHasInvalidValue('$.challenge.reference', 'Is not a challenge of this transactionReference and merchant') };
    }
    const answer = await callHttp<RReq | Erro>(`${this.env.SANDBOX_PUBLIC_URL}/3ds-server/postauth`, {
      headers: { apikey: THREE_DS_SERVER_API_KEY },
      body: { threeDSServerTransID: pending.threeDSServerTransID },
      timeoutMs: 5000,
    });
    const result = answer.body;
    if (result?.messageType === 'Erro' && result.errorCode === '305') {
      return { status: 400, body: { errorName: 'challengeNotCompleted', message: 'The customer has not completed the challenge yet' } };
    }
    if (!answer.ok || result?.messageType !== 'RReq') return this.upstreamFailed(transactionReference, describeFailure(answer), result);
    this.trace.record(transactionReference, 'merchant', `Verification: /postauth gave transStatus ${result.transStatus}`);
    return this.answer(transactionReference, answerFor(transactionReference, result));
  }

  private areqFor(request: z.infer<typeof authenticateSchema>) {
    const { value, paymentInstrument } = request.instruction;
    const currency = currencyByAlpha(value.currency)!;
    return {
      messageVersion: '2.2.0',
      messageCategory: '01',
      deviceChannel: '02',
      acctNumber: paymentInstrument.cardNumber,
      cardExpiryDate: `${String(paymentInstrument.expiryDate.year % 100).padStart(2, '0')}${String(paymentInstrument.expiryDate.month).padStart(2, '0')}`,
      purchaseAmount: String(value.amount),
      purchaseCurrency: currency.numeric,
      purchaseExponent: String(currency.exponent),
      purchaseDate: new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14),
      merchantName: MERCHANT_PROFILE.name,
      mcc: MERCHANT_PROFILE.mcc,
      merchantCountryCode: countryNumericOf(MERCHANT_PROFILE.country),
      acquirerBIN: MERCHANT_PROFILE.acquirerBIN,
      acquirerMerchantID: request.merchant.entity,
      threeDSRequestorID: MERCHANT_PROFILE.requestorId,
      threeDSRequestorName: MERCHANT_PROFILE.name,
      threeDSRequestorURL: `${this.env.SANDBOX_PUBLIC_URL}/`,
      threeDSRequestorAuthenticationInd: '01',
      threeDSRequestorChallengeInd: CHALLENGE_INDICATOR[request.challenge.preference ?? 'noPreference'],
      threeDSCompInd: 'U',
      notificationURL: request.challenge.returnUrl,
      browserAcceptHeader: request.deviceData.acceptHeader,
      browserUserAgent: request.deviceData.userAgentHeader,
      browserJavascriptEnabled: true,
      browserLanguage: request.deviceData.browserLanguage ?? 'en-GB',
      ...(paymentInstrument.cardHolderName ? { cardholderName: paymentInstrument.cardHolderName.slice(0, 45) } : {}),
    };
  }

  private answer(transactionReference: string, body: AuthenticationAnswer): MerchantAnswer {
    const detail = body.authentication?.eci ? ` (eci ${body.authentication.eci})` : '';
    this.trace.record(transactionReference, 'merchant', `Outcome: ${body.outcome}${detail}`, TONE[body.outcome]);
    return { status: 200, body };
  }

  private upstreamFailed(transactionReference: string, what: string, erro: unknown): MerchantAnswer {
    this.trace.record(transactionReference, 'merchant', `The 3-D Secure server failed (${what}): 502`, 'fail');
    this.log.warn({ transactionReference, what, erro }, '3-D Secure server failed');
    const description = (erro as Erro | undefined)?.errorDescription;
    return { status: 502, body: { errorName: 'badGateway', message: `The 3-D Secure server could not authenticate: ${description ?? what}` } };
  }
}

const TONE = { challenged: 'info', authenticated: 'ok', authenticationFailed: 'fail', unavailable: 'fail' } as const;

/** A final ARes or RReq as Worldpay's outcome (seed 002 / 003). */
function answerFor(transactionReference: string, message: ARes | RReq): AuthenticationAnswer {
  const version = message.messageVersion;
  switch (message.transStatus) {
    case 'Y':
      return {
        outcome: 'authenticated',
        transactionReference,
        authentication: { version, eci: message.eci, authenticationValue: message.authenticationValue, transactionId: message.dsTransID },
      };
    case 'N':
    case 'R':
      return { outcome: 'authenticationFailed', transactionReference, authentication: { version, eci: message.eci } };
    default:
      return { outcome: 'unavailable', transactionReference, authentication: { version, eci: message.eci } };
  }
}

export function formatMinor(amount: number, currency: string): string {
  const exponent = currencyByAlpha(currency)?.exponent ?? 2;
  return `${(amount / 10 ** exponent).toFixed(exponent)} ${currency}`;
}
