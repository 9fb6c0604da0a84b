import { createHash } from 'node:crypto';

/** What the cardholder sees and approves; PSD2 RTS Art. 5 binds the approval to exactly this. */
export interface LinkedTransaction {
  sessionId: string;
  amount: number;
  currency: string;
  merchantName: string;
  /** Random per session, from the server: makes the challenge unpredictable. */
  nonce: string;
}

/**
 * The WebAuthn challenge for approving one transaction (dynamic linking).
 * It is derived, not stored: the verifier recomputes it from the session, so an
 * assertion signed for any other session, amount, currency, payee or nonce fails.
 * Fields are length-prefixed so no two different transactions share an encoding.
 */
export function transactionChallenge(transaction: LinkedTransaction): string {
  const fields = [
    'assent/approve/v1',
    transaction.sessionId,
    canonicalAmount(transaction.amount),
    transaction.currency.toUpperCase(),
    transaction.merchantName,
    transaction.nonce,
  ];
  const hash = createHash('sha256');
  for (const field of fields) {
    const bytes = Buffer.from(field, 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    hash.update(length).update(bytes);
  }
  return hash.digest('base64url');
}

/** 3.1 and 3.10 are one amount; the challenge must not depend on how JSON spelled it. */
function canonicalAmount(amount: number): string {
  return String(Number(amount));
}
