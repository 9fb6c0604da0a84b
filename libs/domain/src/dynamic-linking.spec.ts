import { type LinkedTransaction, transactionChallenge } from './dynamic-linking';

const base: LinkedTransaction = {
  sessionId: '5d3a3e10-b511-42cd-b9b6-1f2a5701ba98',
  amount: 3.14,
  currency: 'EUR',
  merchantName: 'Airline of the world inc.',
  nonce: 'n0nce-AbC_123',
};

describe('transactionChallenge', () => {
  it('is deterministic: the same transaction always yields the same challenge', () => {
    const first = transactionChallenge(base);
    expect(transactionChallenge({ ...base })).toBe(first);
    expect(transactionChallenge(base)).toBe(first);
  });

  it.each<[keyof LinkedTransaction, LinkedTransaction[keyof LinkedTransaction]]>([
    ['sessionId', '5d3a3e10-b511-42cd-b9b6-1f2a5701ba99'],
    ['amount', 3.15],
    ['currency', 'USD'],
    ['merchantName', 'Airline of the world inc'],
    ['nonce', 'n0nce-AbC_124'],
  ])('changes when only %s changes', (field, value) => {
    expect(transactionChallenge({ ...base, [field]: value })).not.toBe(transactionChallenge(base));
  });

  it('treats 3.1 and 3.10 as the same amount', () => {
    // JSON.parse('3.10') and 3.1 are one number; the challenge follows the number, not its spelling.
    expect(transactionChallenge({ ...base, amount: JSON.parse('3.10') as number })).toBe(
      transactionChallenge({ ...base, amount: 3.1 }),
    );
  });

  it('distinguishes amounts that differ only in a small fraction', () => {
    expect(transactionChallenge({ ...base, amount: 100 })).not.toBe(transactionChallenge({ ...base, amount: 100.01 }));
  });

  it('ignores the case of the currency code', () => {
    expect(transactionChallenge({ ...base, currency: 'eur' })).toBe(transactionChallenge({ ...base, currency: 'EUR' }));
    expect(transactionChallenge({ ...base, currency: 'Eur' })).toBe(transactionChallenge({ ...base, currency: 'EUR' }));
  });

  it('returns the base64url encoding of 32 bytes (43 characters, no padding)', () => {
    const challenge = transactionChallenge(base);
    expect(challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(challenge, 'base64url')).toHaveLength(32);
  });

  it('length-prefixes fields so moving characters between merchantName and nonce changes the challenge', () => {
    const ab_c = transactionChallenge({ ...base, merchantName: 'ab', nonce: 'c' });
    const a_bc = transactionChallenge({ ...base, merchantName: 'a', nonce: 'bc' });
    expect(ab_c).not.toBe(a_bc);
  });

  it('length-prefixes fields so moving characters between sessionId and the amount changes the challenge', () => {
    const one = transactionChallenge({ ...base, sessionId: 's1', amount: 23 });
    const two = transactionChallenge({ ...base, sessionId: 's', amount: 123 });
    expect(one).not.toBe(two);
  });
});
