import { useEffect, useState } from 'preact/hooks';

/** The app's screens, by URL: the deep links the service uses are /app/activate?code=… and /app/challenges/{sessionId}. */
export type Route =
  | { screen: 'home' }
  | { screen: 'activate'; code: string | null }
  | { screen: 'challenge'; sessionId: string }
  | { screen: 'device' };

export function routeOf(location: { pathname: string; search: string }): Route {
  const path = location.pathname.replace(/^\/app\/?/, '').replace(/\/$/, '');
  if (path === 'activate') return { screen: 'activate', code: new URLSearchParams(location.search).get('code') };
  if (path === 'device') return { screen: 'device' };
  const challenge = /^challenges\/([^/]+)$/.exec(path);
  if (challenge) return { screen: 'challenge', sessionId: decodeURIComponent(challenge[1]) };
  return { screen: 'home' };
}

const NAVIGATED = 'assent:navigate';

/** Moves to another screen without reloading the page. */
export function navigate(path: string): void {
  if (path === location.pathname + location.search) return;
  history.pushState(null, '', path);
  dispatchEvent(new Event(NAVIGATED));
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => routeOf(location));
  useEffect(() => {
    const update = () => setRoute(routeOf(location));
    addEventListener('popstate', update);
    addEventListener(NAVIGATED, update);
    return () => {
      removeEventListener('popstate', update);
      removeEventListener(NAVIGATED, update);
    };
  }, []);
  return route;
}

/** A link's click handled in the page, keeping the browser's own behaviour for new tabs and modified clicks. */
export function followLink(event: MouseEvent): void {
  const anchor = (event.currentTarget as HTMLAnchorElement | null) ?? undefined;
  if (!anchor || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  event.preventDefault();
  navigate(anchor.getAttribute('href') ?? '/app/');
}
