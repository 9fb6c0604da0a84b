import { ApprovalExpectation, ApprovalProof, approvalRefusal } from './approval-token';

const NOW = Date.parse('2026-11-22T10:15:30Z');

const proof: ApprovalProof = {
  sessionId: '5d3a3e10-b511-42cd-b9b6-1f2a5701ba98',
  customerNumber: '392492402',
  amount: 3.14,
  currency: 'EUR',
  merchantName: 'Airline of the world inc.',
  expiresAt: NOW + 600_000,
  deviceActive: true,
};

const fullExpectation: ApprovalExpectation = {
  customerNumber: '392492402',
  sessionId: '5d3a3e10-b511-42cd-b9b6-1f2a5701ba98',
  amount: { amount: 3.14, currency: 'EUR' },
  merchantName: 'Airline of the world inc.',
};

describe('approvalRefusal', () => {
  it('accepts a live token for the named cardholder', () => {
    expect(approvalRefusal(proof, { customerNumber: '392492402' }, NOW)).toBeNull();
  });

  it('accepts a live token when every transaction field given matches', () => {
    expect(approvalRefusal(proof, fullExpectation, NOW)).toBeNull();
  });

  it('compares the session id regardless of case, as UUIDs are', () => {
    expect(approvalRefusal(proof, { ...fullExpectation, sessionId: fullExpectation.sessionId!.toUpperCase() }, NOW)).toBeNull();
  });

  it('refuses a token it does not know', () => {
    expect(approvalRefusal(null, fullExpectation, NOW)).toBe('unknown_token');
  });

  it('refuses a token minted for another cardholder', () => {
    expect(approvalRefusal(proof, { ...fullExpectation, customerNumber: '392492403' }, NOW)).toBe('customer_mismatch');
  });

  it('refuses a token for another session, amount, currency or merchant', () => {
    expect(approvalRefusal(proof, { ...fullExpectation, sessionId: '5d3a3e10-b511-42cd-b9b6-1f2a5701ba99' }, NOW)).toBe('session_mismatch');
    expect(approvalRefusal(proof, { ...fullExpectation, amount: { amount: 3.15, currency: 'EUR' } }, NOW)).toBe('amount_mismatch');
    expect(approvalRefusal(proof, { ...fullExpectation, amount: { amount: 3.14, currency: 'USD' } }, NOW)).toBe('amount_mismatch');
    expect(approvalRefusal(proof, { ...fullExpectation, merchantName: 'Airline of the world' }, NOW)).toBe('merchant_mismatch');
  });

  it('refuses every token of a revoked device, even a fresh one', () => {
    expect(approvalRefusal({ ...proof, deviceActive: false }, fullExpectation, NOW)).toBe('device_revoked');
  });

  it('refuses a token from the moment it expires', () => {
    expect(approvalRefusal(proof, fullExpectation, proof.expiresAt - 1)).toBeNull();
    expect(approvalRefusal(proof, fullExpectation, proof.expiresAt)).toBe('expired');
  });
});
