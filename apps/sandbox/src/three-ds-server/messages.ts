/**
 * EMV 3-D Secure messages as the sandbox's 3-D Secure server (seed 001,
 * 3dsecure.io's `/auth`) and ACS exchange them: the AReq a merchant's gateway
 * sends, the ARes and RReq the ACS produces, and the `Erro` message for every
 * failure. Only the elements the sandbox reads are validated; every other
 * element is accepted and passed through, as EMV allows.
 */
import { z } from 'zod';

export const SUPPORTED_MESSAGE_VERSIONS = ['2.1.0', '2.2.0'] as const;

const digits = (min: number, max: number) => z.string().regex(new RegExp(`^\\d{${min},${max}}$`));
const text = (max: number) => z.string().min(1).max(max);

/** The browser-channel AReq elements the sandbox requires (EMV 3DS 2.2.0, Table A.1). */
export const areqSchema = z.looseObject({
  messageType: z.literal('AReq').optional(),
  messageVersion: z.enum(SUPPORTED_MESSAGE_VERSIONS),
  messageCategory: z.enum(['01', '02']),
  deviceChannel: z.literal('02'),
  acctNumber: digits(13, 19),
  cardExpiryDate: z.string().regex(/^\d{2}(0[1-9]|1[0-2])$/),
  purchaseAmount: digits(1, 48),
  purchaseCurrency: digits(3, 3),
  purchaseExponent: digits(1, 1),
  purchaseDate: z.string().regex(/^\d{14}$/),
  merchantName: text(40),
  mcc: digits(4, 4),
  merchantCountryCode: digits(3, 3),
  acquirerBIN: text(11),
  acquirerMerchantID: text(35),
  threeDSRequestorID: text(35),
  threeDSRequestorName: text(40),
  threeDSRequestorURL: z.url().max(2048),
  threeDSRequestorAuthenticationInd: digits(2, 2),
  threeDSCompInd: z.enum(['Y', 'N', 'U']),
  notificationURL: z.url().max(256),
  browserAcceptHeader: text(2048),
  browserUserAgent: text(2048),
  browserJavascriptEnabled: z.boolean(),
  browserLanguage: text(8),
});

export type AReq = z.infer<typeof areqSchema>;

export type TransStatus = 'Y' | 'N' | 'U' | 'C' | 'R' | 'A';

/** What the ACS answers an AReq with; a challenge gives `acsURL`. */
export interface ARes {
  messageType: 'ARes';
  messageVersion: string;
  threeDSServerTransID: string;
  dsTransID: string;
  acsTransID: string;
  acsReferenceNumber: string;
  acsOperatorID: string;
  dsReferenceNumber: string;
  transStatus: TransStatus;
  transStatusReason?: string;
  acsURL?: string;
  acsChallengeMandated?: 'Y' | 'N';
  authenticationType?: string;
  eci?: string;
  authenticationValue?: string;
}

/** The final result of a challenge, which the ACS sends the 3-D Secure server through the directory server. */
export interface RReq {
  messageType: 'RReq';
  messageVersion: string;
  messageCategory: string;
  threeDSServerTransID: string;
  acsTransID: string;
  dsTransID: string;
  transStatus: TransStatus;
  transStatusReason?: string;
  authenticationType: string;
  interactionCounter: string;
  eci: string;
  authenticationValue?: string;
}

export interface Erro {
  messageType: 'Erro';
  messageVersion: string;
  errorCode: string;
  errorComponent: 'S' | 'A' | 'D';
  errorDescription: string;
  errorDetail: string;
  errorMessageType?: string;
  threeDSServerTransID?: string;
}

/** EMV 3DS error codes (Table A.4) the sandbox answers with. */
export const ERROR_CODES = {
  messageReceivedInvalid: ['101', 'Message Received Invalid'],
  versionNotSupported: ['102', 'Message Version Number Not Supported'],
  requiredElementMissing: ['201', 'Required Data Element Missing'],
  invalidFormat: ['203', 'Format of one or more Data Elements is Invalid according to the Specification'],
  accessDenied: ['303', 'Access Denied, Invalid Endpoint'],
  unknownTransaction: ['203', 'Unknown threeDSServerTransID'],
  transactionDataNotValid: ['305', 'Transaction data not valid'],
  systemConnectionFailure: ['405', 'Unable to contact Directory Server'],
} as const satisfies Record<string, readonly [string, string]>;

export function erro(
  [errorCode, errorDescription]: readonly [string, string],
  errorDetail: string,
  context: { messageVersion?: string; errorMessageType?: string; threeDSServerTransID?: string; component?: Erro['errorComponent'] } = {},
): Erro {
  return {
    errorCode,
    errorComponent: context.component ?? 'S',
    errorDescription,
    errorDetail,
    ...(context.errorMessageType ? { errorMessageType: context.errorMessageType } : {}),
    messageType: 'Erro',
    messageVersion: context.messageVersion ?? '2.2.0',
    ...(context.threeDSServerTransID ? { threeDSServerTransID: context.threeDSServerTransID } : {}),
  };
}

/**
 * An AReq's problems as one Erro: every missing element (201) if any is missing,
 * otherwise every malformed one (203); an unsupported version is 102. The
 * elements are named in `errorDetail`, comma-separated, as EMV asks.
 */
export function areqErro(body: unknown, issues: z.core.$ZodIssue[]): Erro {
  const record = (body ?? {}) as Record<string, unknown>;
  const names = (list: z.core.$ZodIssue[]) => [...new Set(list.map((issue) => String(issue.path[0] ?? '$')))].join(',');
  const context = { errorMessageType: 'AReq' };
  const missing = issues.filter((issue) => issue.path.length > 0 && record[String(issue.path[0])] === undefined);
  if (missing.length > 0) return erro(ERROR_CODES.requiredElementMissing, names(missing), context);
  if (issues.some((issue) => issue.path[0] === 'messageVersion')) {
    return erro(ERROR_CODES.versionNotSupported, SUPPORTED_MESSAGE_VERSIONS.join(','), context);
  }
  return erro(ERROR_CODES.invalidFormat, names(issues), context);
}
