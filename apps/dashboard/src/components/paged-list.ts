import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { api, Page } from '../api';

/**
 * A list from the API, page by page: `reload` fetches the first page again, `more`
 * appends the next. A change of `query` starts over.
 */
export function usePagedList<T>(path: string, query: Record<string, string | undefined>) {
  const key = JSON.stringify(query);
  const [items, setItems] = useState<T[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<unknown>(null);

  // Each reload of the first page starts a generation; an answer from an older one
  // (a slow request overtaken by a newer reload) is dropped, not shown over newer rows.
  const generation = useRef(0);

  const load = useCallback(
    async (after?: string) => {
      if (!after) generation.current += 1;
      const started = generation.current;
      setLoading(true);
      try {
        const page = await api<Page<T>>(path, { query: { ...JSON.parse(key), cursor: after } });
        if (started !== generation.current) return;
        setItems((current) => (after ? [...current, ...page.items] : page.items));
        setCursor(page.nextCursor);
        setError(null);
      } catch (failure) {
        setError(failure);
      } finally {
        setLoading(false);
        setLoaded(true);
      }
    },
    [path, key],
  );

  useEffect(() => {
    setItems([]);
    setLoaded(false);
    void load();
  }, [load]);

  return { items, setItems, cursor, loading, loaded, error, reload: () => load(), more: () => void (cursor && load(cursor)) };
}
