import { useEffect, useState } from 'preact/hooks';

/** Hash routes (#/sessions/…?result=FAIL): the server serves one page, whatever the route. */
export interface Route {
  path: string;
  query: URLSearchParams;
}

function current(): Route {
  const hash = location.hash.replace(/^#/, '') || '/';
  const [path, search = ''] = hash.split('?');
  return { path, query: new URLSearchParams(search) };
}

export function useRoute(): Route {
  const [route, setRoute] = useState(current);
  useEffect(() => {
    const changed = () => setRoute(current());
    addEventListener('hashchange', changed);
    return () => removeEventListener('hashchange', changed);
  }, []);
  return route;
}

export function href(path: string, query: Record<string, string | undefined> = {}): string {
  const search = new URLSearchParams(Object.entries(query).filter((entry): entry is [string, string] => !!entry[1])).toString();
  return `#${path}${search ? `?${search}` : ''}`;
}

export function navigate(path: string, query: Record<string, string | undefined> = {}, replace = false): void {
  const target = href(path, query);
  if (replace) history.replaceState(null, '', target);
  else location.hash = target;
  dispatchEvent(new HashChangeEvent('hashchange'));
}
