/** What the demo shop sells; amounts in minor units, as the merchant API takes them. */
export interface CatalogItem {
  id: string;
  name: string;
  description: string;
  amount: number;
  currency: string;
}

export const CATALOG: readonly CatalogItem[] = [
  { id: 'coffee', name: 'Coffee beans, 1 kg', description: 'Single-origin, roasted this week', amount: 2490, currency: 'EUR' },
  { id: 'jacket', name: 'Rain jacket', description: 'Packs into its own pocket', amount: 8900, currency: 'EUR' },
  { id: 'ticket', name: 'Airline ticket HEL → ARN', description: 'One way, economy', amount: 31400, currency: 'EUR' },
];

export function catalogItem(id: string): CatalogItem | undefined {
  return CATALOG.find((item) => item.id === id);
}
