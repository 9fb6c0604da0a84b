/**
 * A Map that forgets its oldest entries beyond a limit. The sandbox keeps each
 * party's recent transactions in memory for inspection; a long demo or benchmark
 * must not grow it without end.
 */
/** How many recent purchases each party remembers: more than a demo or a benchmark run touches. */
export const KEPT_PER_PARTY = 5000;

export class BoundedMap<K, V> extends Map<K, V> {
  constructor(
    private readonly limit: number,
    private readonly onForget: (value: V) => void = () => undefined,
  ) {
    super();
  }

  override set(key: K, value: V): this {
    super.set(key, value);
    while (this.size > this.limit) {
      const [oldestKey, oldest] = this.entries().next().value as [K, V];
      this.delete(oldestKey);
      this.onForget(oldest);
    }
    return this;
  }
}
