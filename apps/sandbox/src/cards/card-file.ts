import { randomBytes } from 'node:crypto';
import { TEST_CARDS, TestCard, testCardByNumber } from './test-cards';

export interface CardRecord {
  card: TestCard;
  customerNumber: string;
}

/**
 * The sandbox issuer's record of which cardholder holds which card. The virtual
 * cardholders get customer numbers of their own on every start, so a restarted
 * sandbox enrolls fresh devices instead of piling them onto old cardholders (the
 * authenticator allows only a few devices each).
 */
export class CardFile {
  readonly instance = randomBytes(3).toString('hex');

  constructor(private readonly demoCustomerNumber: string) {}

  lookup(cardNumber: string): CardRecord | undefined {
    const card = testCardByNumber(cardNumber);
    return card && { card, customerNumber: this.customerNumberOf(card) };
  }

  all(): CardRecord[] {
    return TEST_CARDS.map((card) => ({ card, customerNumber: this.customerNumberOf(card) }));
  }

  private customerNumberOf(card: TestCard): string {
    switch (card.holder.kind) {
      case 'demo':
        return this.demoCustomerNumber;
      case 'virtual':
        return `sandbox-${this.instance}-${card.holder.behaviour}`;
      case 'no-device':
        return `sandbox-${this.instance}-no-device`;
    }
  }
}
