/**
 * Enfuce sends the card number masked (`342170______9554`). Should a full number
 * ever arrive, it is masked here before it is stored or shown: first six and last
 * four digits at most, as PCI DSS allows for display, and only the last four of a
 * number too short (under 13) for that to hide enough of it.
 */
export function maskCardNumber(cardNumber: string): string {
  const compact = cardNumber.replace(/[\s-]/g, '');
  if (compact.length < 8) return '_'.repeat(compact.length);
  if (compact.length < 13) return `${'_'.repeat(compact.length - 4)}${compact.slice(-4)}`;
  const middle = compact.slice(6, -4).replace(/./g, '_');
  return `${compact.slice(0, 6)}${middle}${compact.slice(-4)}`;
}
