/** What an approval token proves: this cardholder approved this transaction on this device, until `expiresAt`. */
export interface ApprovalProof {
  sessionId: string;
  customerNumber: string;
  amount: number;
  currency: string;
  merchantName: string;
  /** Epoch ms. */
  expiresAt: number;
  /** False once the approving device is revoked, by whatever path: its tokens prove nothing after that. */
  deviceActive: boolean;
}

/**
 * What the caller wants proven. The cardholder is always named, so a token cannot
 * be passed off as another cardholder's proof; the transaction fields are checked
 * when given.
 */
export interface ApprovalExpectation {
  customerNumber: string;
  sessionId?: string;
  amount?: { amount: number; currency: string };
  merchantName?: string;
}

export type ApprovalRefusal =
  | 'unknown_token'
  | 'customer_mismatch'
  | 'session_mismatch'
  | 'amount_mismatch'
  | 'merchant_mismatch'
  | 'device_revoked'
  | 'expired';

/** Why a token does not prove what is expected at `now`, or null when it does. */
export function approvalRefusal(proof: ApprovalProof | null, expected: ApprovalExpectation, now: number): ApprovalRefusal | null {
  if (!proof) return 'unknown_token';
  if (proof.customerNumber !== expected.customerNumber) return 'customer_mismatch';
  if (expected.sessionId !== undefined && proof.sessionId.toLowerCase() !== expected.sessionId.toLowerCase()) return 'session_mismatch';
  if (expected.amount && (proof.amount !== expected.amount.amount || proof.currency !== expected.amount.currency)) return 'amount_mismatch';
  if (expected.merchantName !== undefined && proof.merchantName !== expected.merchantName) return 'merchant_mismatch';
  if (!proof.deviceActive) return 'device_revoked';
  if (now >= proof.expiresAt) return 'expired';
  return null;
}
