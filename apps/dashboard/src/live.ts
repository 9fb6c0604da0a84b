import { useEffect, useRef, useState } from 'preact/hooks';
import type { SessionEvent } from './api';

export type LiveStatus = 'connecting' | 'live' | 'reconnecting';

/**
 * The API's Server-Sent Events. `onSync` runs whenever what is shown may have
 * missed changes (first connection, a reconnect, a `resync` after Redis came
 * back): reload then. EventSource reconnects by itself.
 */
export function useLiveSessions(onEvent: (event: SessionEvent) => void, onSync: () => void): LiveStatus {
  const [status, setStatus] = useState<LiveStatus>('connecting');
  const handlers = useRef({ onEvent, onSync });
  handlers.current = { onEvent, onSync };
  useEffect(() => {
    const source = new EventSource('/api/v1/admin/live');
    source.addEventListener('ready', () => {
      setStatus('live');
      handlers.current.onSync();
    });
    source.addEventListener('resync', () => handlers.current.onSync());
    source.addEventListener('session', (message) => handlers.current.onEvent(JSON.parse((message as MessageEvent).data)));
    source.addEventListener('error', () => setStatus('reconnecting'));
    return () => source.close();
  }, []);
  return status;
}
