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
