import { randomBytes, randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import { z } from 'zod';
import type { SandboxEnvironment } from '@assent/config';
import { AuthenticationResult, maskCardNumber } from '@assent/domain';
import { CardFile, CardRecord } from '../cards/card-file';
import { BoundedMap, KEPT_PER_PARTY } from '../common/bounded-map';
import { countryAlphaOf, currencyAlphaOf } from '../common/iso-codes';
import { EnfuceId, EnfuceOutcome } from '../enfuce-id/enfuce-id';
import { SettingsStore } from '../settings/sandbox-settings';
import { ARes, AReq, RReq, TransStatus } from '../three-ds-server/messages';
import { PurchaseTrace } from '../trace/purchase-trace';

/** An ACS challenge as its page (and a scripted shopper) sees it. */
export interface ChallengeStatus {
  acsTransID: string;
  threeDSServerTransID: string;
  state: 'awaiting-creq' | 'in-progress' | 'final';
  merchantName: string;
  amount: { amount: number; currency: string };
  cardNumber: string;
  /** Who answers: a virtual cardholder's scripted phone, or the demo cardholder with the cardholder app. */
  cardholder: CardRecord['card']['holder']['kind'];
  enfuceSessionId?: string;
  deadlineAt?: string;
  transStatus?: TransStatus;
  /** The base64url CRes the page posts to the merchant's notificationURL once final. */
  cres?: string;
  notificationURL: string;
}

interface Challenge {
  status: ChallengeStatus;
  areq: AReq & { threeDSServerTransID: string; dsTransID: string };
  record: CardRecord;
}

const creqSchema = z.looseObject({
  messageType: z.literal('CReq'),
  messageVersion: z.string(),
  threeDSServerTransID: z.uuid(),
  acsTransID: z.uuid(),
});

export type CReq = z.infer<typeof creqSchema>;

export class ChallengeError extends Error {}

const ACS_REFERENCE = 'sandbox-acs';
const DS_REFERENCE = 'sandbox-ds';
// Visa's ECI values: 05 fully authenticated, 07 not authenticated.
const ECI_AUTHENTICATED = '05';
const ECI_NOT_AUTHENTICATED = '07';
// EMV authenticationType 03: out of band.
const OUT_OF_BAND = '03';

/**
 * The issuer's ACS, with the directory server in front of it. It challenges every
 * card on the sandbox issuer's file out of band: when the shopper's browser opens
 * the challenge (the CReq), it asks Enfuce ID to authenticate the cardholder, and
 * turns Enfuce's one answer into the RReq for the 3-D Secure server and the CRes
 * for the browser.
 */
export class Acs {
  private readonly challenges = new BoundedMap<string, Challenge>(KEPT_PER_PARTY);

  constructor(
    private readonly env: SandboxEnvironment,
    private readonly settings: SettingsStore,
    private readonly cards: CardFile,
    private readonly enfuce: EnfuceId,
    private readonly trace: PurchaseTrace,
    private readonly log: FastifyBaseLogger,
    private readonly hooks: { deliverRReq: (rreq: RReq) => void; challengeStarted: (customerNumber: string) => void },
  ) {}

  /** The directory server's AReq (already validated by the 3-D Secure server), answered with an ARes. */
  async authenticationRequest(areq: AReq & { threeDSServerTransID: string }): Promise<ARes> {
    const delayMs = this.settings.current.directoryServer.delayMs;
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    const acsTransID = randomUUID();
    const dsTransID = randomUUID();
    this.trace.link(acsTransID, areq.threeDSServerTransID);
    const base = {
      messageType: 'ARes' as const,
      messageVersion: areq.messageVersion,
      threeDSServerTransID: areq.threeDSServerTransID,
      dsTransID,
      acsTransID,
      acsReferenceNumber: ACS_REFERENCE,
      acsOperatorID: ACS_REFERENCE,
      dsReferenceNumber: DS_REFERENCE,
    };
    const record = this.cards.lookup(areq.acctNumber);
    if (!record) {
      this.trace.record(acsTransID, 'acs', 'Card not on the issuer’s file: transStatus U (08, no card record)', 'fail');
      return { ...base, transStatus: 'U', transStatusReason: '08', eci: ECI_NOT_AUTHENTICATED };
    }
    this.challenges.set(acsTransID, {
      areq: { ...areq, dsTransID },
      record,
      status: {
        acsTransID,
        threeDSServerTransID: areq.threeDSServerTransID,
        state: 'awaiting-creq',
        merchantName: areq.merchantName,
        amount: decimalAmount(areq),
        cardNumber: maskCardNumber(areq.acctNumber),
        cardholder: record.card.holder.kind,
        notificationURL: areq.notificationURL,
      },
    });
    this.trace.record(acsTransID, 'acs', 'Card enrolled for out-of-band approval: challenge (transStatus C)');
    return { ...base, transStatus: 'C', acsURL: `${this.env.SANDBOX_PUBLIC_URL}/acs/challenge`, acsChallengeMandated: 'N', authenticationType: OUT_OF_BAND };
  }

  /** Parses the browser's base64url CReq (EMV 3DS browser flow: the `creq` form field). */
  parseCReq(encoded: unknown): CReq {
    if (typeof encoded !== 'string' || encoded.length > 4096) throw new ChallengeError('The creq form field is missing');
    let json: unknown;
    try {
      json = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
    } catch {
      throw new ChallengeError('The creq is not base64url-encoded JSON');
    }
    const parsed = creqSchema.safeParse(json);
    if (!parsed.success) throw new ChallengeError(`The CReq is invalid at ${parsed.error.issues[0].path.join('.') || 'its root'}`);
    return parsed.data;
  }

  /** The browser opened the challenge: start the out-of-band authentication once, however often the page loads. */
  async openChallenge(creq: CReq): Promise<ChallengeStatus> {
    const challenge = this.challenges.get(creq.acsTransID.toLowerCase());
    if (!challenge || challenge.status.threeDSServerTransID !== creq.threeDSServerTransID.toLowerCase()) {
      throw new ChallengeError('No such transaction at this ACS');
    }
    if (challenge.status.state !== 'awaiting-creq') return challenge.status;
    challenge.status.state = 'in-progress';
    const { acsTransID } = challenge.status;
    this.trace.record(acsTransID, 'acs', 'Challenge opened in the shopper’s browser: “Approve in your banking app”; asking Enfuce ID');
    this.hooks.challengeStarted(challenge.record.customerNumber);
    const session = await this.enfuce.authenticate(
      {
        customerNumber: challenge.record.customerNumber,
        cardId: challenge.record.card.cardId,
        cardNumber: challenge.status.cardNumber,
        amount: challenge.status.amount.amount,
        currency: challenge.status.amount.currency,
        merchant: {
          name: challenge.areq.merchantName,
          country: countryAlphaOf(challenge.areq.merchantCountryCode),
          url: challenge.areq.threeDSRequestorURL,
        },
      },
      (outcome) => this.finish(challenge, outcome),
      acsTransID,
    );
    challenge.status.enfuceSessionId = session.sessionId;
    challenge.status.deadlineAt = session.deadlineAt;
    return challenge.status;
  }

  status(acsTransID: string): ChallengeStatus | undefined {
    return this.challenges.get(acsTransID.toLowerCase())?.status;
  }

  private finish(challenge: Challenge, outcome: EnfuceOutcome): void {
    const { transStatus, transStatusReason } = transStatusOf(outcome);
    const rreq: RReq = {
      messageType: 'RReq',
      messageVersion: challenge.areq.messageVersion,
      messageCategory: challenge.areq.messageCategory,
      threeDSServerTransID: challenge.status.threeDSServerTransID,
      acsTransID: challenge.status.acsTransID,
      dsTransID: challenge.areq.dsTransID,
      transStatus,
      ...(transStatusReason ? { transStatusReason } : {}),
      authenticationType: OUT_OF_BAND,
      interactionCounter: '01',
      eci: transStatus === 'Y' ? ECI_AUTHENTICATED : ECI_NOT_AUTHENTICATED,
      // The CAVV: 20 bytes that, in production, the issuer signs and the scheme verifies at authorisation.
      ...(transStatus === 'Y' ? { authenticationValue: randomBytes(20).toString('base64') } : {}),
    };
    // EMV order: the RReq reaches the 3-D Secure server before the browser gets its CRes.
    this.hooks.deliverRReq(rreq);
    challenge.status.transStatus = transStatus;
    challenge.status.cres = Buffer.from(
      JSON.stringify({
        messageType: 'CRes',
        messageVersion: rreq.messageVersion,
        threeDSServerTransID: rreq.threeDSServerTransID,
        acsTransID: rreq.acsTransID,
        transStatus,
        challengeCompletionInd: 'Y',
      }),
    ).toString('base64url');
    challenge.status.state = 'final';
    this.trace.record(challenge.status.acsTransID, 'acs', `Enfuce ID answered ${outcome.result}: RReq transStatus ${transStatus}${transStatusReason ? ` (reason ${transStatusReason})` : ''}, CRes to the browser`, transStatus === 'Y' ? 'ok' : 'fail');
    this.log.info({ acsTransID: challenge.status.acsTransID, result: outcome.result, transStatus }, 'Challenge finished');
  }
}

/** Enfuce's result as an EMV transStatus, with the EMV reason code (Table A.5) for the failures. */
export function transStatusOf(outcome: EnfuceOutcome): { transStatus: TransStatus; transStatusReason?: string } {
  switch (outcome.result) {
    case AuthenticationResult.Success:
      return { transStatus: 'Y' };
    case AuthenticationResult.Fail:
      return { transStatus: 'N', transStatusReason: '01' }; // card authentication failed
    case AuthenticationResult.Timeout:
      return { transStatus: 'U', transStatusReason: '14' }; // transaction timed out at the ACS
    case AuthenticationResult.Error:
      // The authenticator knows no device for the cardholder (404), or failed otherwise.
      return { transStatus: 'U', transStatusReason: outcome.webhookStatus === 404 ? '13' : '22' };
  }
}

function decimalAmount(areq: AReq): { amount: number; currency: string } {
  const exponent = Number(areq.purchaseExponent);
  return { amount: Number(areq.purchaseAmount) / 10 ** exponent, currency: currencyAlphaOf(areq.purchaseCurrency) ?? areq.purchaseCurrency };
}
