/**
 * Enfuce sends the card number masked (`342170______9554`). Should a full number
 * ever arrive, it is masked here before it is stored or shown: first six and last
 * four digits at most, as PCI DSS allows for display.
 */
export function maskCardNumber(cardNumber: string): string {
  const compact = cardNumber.replace(/[\s-]/g, '');
  if (compact.length < 10) return '_'.repeat(compact.length);
  const middle = compact.slice(6, -4).replace(/./g, '_');
  return `${compact.slice(0, 6)}${middle}${compact.slice(-4)}`;
}
