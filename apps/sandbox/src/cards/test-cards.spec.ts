import { CardFile } from './card-file';
import { BEHAVIOURS, passesLuhn, TEST_CARDS, testCardByNumber, testCardFor } from './test-cards';

describe('test cards', () => {
  it('are all valid card numbers', () => {
    for (const card of TEST_CARDS) expect(passesLuhn(card.number)).toBe(true);
  });

  it('give every cardholder behaviour its own card', () => {
    const numbers = BEHAVIOURS.map((behaviour) => testCardFor(behaviour).number);
    expect(new Set(numbers).size).toBe(BEHAVIOURS.length);
  });

  it('are found whether written with spaces or not', () => {
    expect(testCardByNumber('4000 0000 0000 2008')?.holder).toEqual({ kind: 'virtual', behaviour: 'decline' });
    expect(testCardByNumber('4111111111111111')).toBeUndefined();
  });
});

describe('passesLuhn', () => {
  it('accepts a valid number and refuses one with a wrong check digit', () => {
    expect(passesLuhn('4111111111111111')).toBe(true);
    expect(passesLuhn('4111111111111112')).toBe(false);
  });

  it('refuses what is not 12 to 19 digits', () => {
    expect(passesLuhn('4111 1111 1111 1111')).toBe(false);
    expect(passesLuhn('0')).toBe(false);
  });
});

describe('CardFile', () => {
  it('gives the demo card the configured demo cardholder and the others cardholders of this sandbox instance', () => {
    const file = new CardFile('392492402');
    expect(file.lookup('4000000000009003')?.customerNumber).toBe('392492402');
    expect(file.lookup('4000000000001000')?.customerNumber).toBe(`sandbox-${file.instance}-approve`);
    expect(new Set(file.all().map((record) => record.customerNumber)).size).toBe(TEST_CARDS.length);
  });

  it('gives another instance other virtual cardholders, so a restart never reuses their devices', () => {
    expect(new CardFile('392492402').lookup('4000000000001000')?.customerNumber).not.toBe(new CardFile('392492402').lookup('4000000000001000')?.customerNumber);
  });
});
