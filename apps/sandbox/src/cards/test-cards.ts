/**
 * The sandbox issuer's cards. As in any 3-D Secure test environment, the card
 * number chooses what happens: each behaviour card belongs to a virtual
 * cardholder whose phone answers that way; the demo card belongs to the demo
 * cardholder, who answers with the real cardholder app.
 */
export const BEHAVIOURS = ['approve', 'decline', 'ignore', 'approve-late'] as const;

export type Behaviour = (typeof BEHAVIOURS)[number];

export type CardHolder =
  /** A virtual cardholder whose phone (apps/sandbox/src/cardholder) answers this way. */
  | { kind: 'virtual'; behaviour: Behaviour }
  /** The demo cardholder (SANDBOX_DEMO_CUSTOMER_NUMBER), who enrolls and answers with the cardholder app. */
  | { kind: 'demo' }
  /** A cardholder the issuer knows but who has no enrolled device: the authenticator answers 404. */
  | { kind: 'no-device' };

export interface TestCard {
  number: string;
  cardId: string;
  label: string;
  holder: CardHolder;
}

// Visa numbers (Luhn-valid, BIN 400000) that no real issuer uses.
export const TEST_CARDS: readonly TestCard[] = [
  { number: '4000000000001000', cardId: '801476001', label: 'Approves on the phone', holder: { kind: 'virtual', behaviour: 'approve' } },
  { number: '4000000000002008', cardId: '801476002', label: 'Declines on the phone', holder: { kind: 'virtual', behaviour: 'decline' } },
  { number: '4000000000003006', cardId: '801476003', label: 'Never answers (times out)', holder: { kind: 'virtual', behaviour: 'ignore' } },
  { number: '4000000000004004', cardId: '801476004', label: 'Approves too late', holder: { kind: 'virtual', behaviour: 'approve-late' } },
  { number: '4000000000009003', cardId: '801476009', label: 'Your phone (cardholder app)', holder: { kind: 'demo' } },
  { number: '4000000000005001', cardId: '801476005', label: 'No enrolled phone', holder: { kind: 'no-device' } },
];

export const TEST_CARD_EXPIRY = { month: 12, year: 2035 };

export function testCardByNumber(cardNumber: string): TestCard | undefined {
  const compact = cardNumber.replace(/[\s-]/g, '');
  return TEST_CARDS.find((card) => card.number === compact);
}

export function testCardFor(behaviour: Behaviour): TestCard {
  return TEST_CARDS.find((card) => card.holder.kind === 'virtual' && card.holder.behaviour === behaviour)!;
}

/** The Luhn check every card number passes (ISO/IEC 7812-1). */
export function passesLuhn(cardNumber: string): boolean {
  if (!/^\d{12,19}$/.test(cardNumber)) return false;
  let sum = 0;
  for (let i = 0; i < cardNumber.length; i++) {
    let digit = Number(cardNumber[cardNumber.length - 1 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}
