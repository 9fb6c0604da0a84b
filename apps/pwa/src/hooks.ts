import { useEffect, useRef, useState } from 'preact/hooks';
import { serverNow } from './api';

/** The server's time, re-read every `intervalMs`, for countdowns. */
export function useServerNow(intervalMs = 250): number {
  const [now, setNow] = useState(serverNow);
  useEffect(() => {
    const timer = setInterval(() => setNow(serverNow()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

/**
 * Runs `refresh` now, every `intervalMs` while the app is on screen, at once when
 * it comes back on screen, and when the service worker says a push arrived: the
 * poll fallback, so no purchase waits on a lost notification.
 */
export function usePolling(refresh: () => Promise<void>, intervalMs: number): void {
  const latest = useRef(refresh);
  latest.current = refresh;
  useEffect(() => {
    let running = false;
    const tick = async () => {
      if (running || document.visibilityState !== 'visible') return;
      running = true;
      await latest.current().finally(() => (running = false));
    };
    const onMessage = (event: MessageEvent) => {
      if ((event.data as { type?: string } | null)?.type === 'challenge') void tick();
    };
    void tick();
    const timer = setInterval(tick, intervalMs);
    document.addEventListener('visibilitychange', tick);
    navigator.serviceWorker?.addEventListener('message', onMessage);
    return () => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', tick);
      navigator.serviceWorker?.removeEventListener('message', onMessage);
    };
  }, [intervalMs]);
}
