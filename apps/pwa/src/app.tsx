import { useCallback, useEffect, useState } from 'preact/hooks';
import { CONNECTIVITY_CHANGED, RegisteredDevice, serviceReachable } from './api';
import { forgetDevice, loadDevice } from './device-store';
import { t } from './messages';
import { navigate, useRoute } from './router';
import type { Route } from './routes';
import { ChallengeScreen } from './screens/challenge';
import { DeviceScreen } from './screens/device';
import { EnrollScreen } from './screens/enroll';
import { HomeScreen } from './screens/home';
import { Link } from './ui';

/** What the screens share: this device's credentials, and how to change them. */
export interface DeviceContext {
  device: RegisteredDevice | null;
  /** The device was enrolled (`device`) or forgotten (null) on this screen. */
  setDevice(device: RegisteredDevice | null): void;
  /** The service no longer knows this device's token: forget it and say so. */
  onRevoked(): void;
}

export function App() {
  const route = useRoute();
  const [device, setDevice] = useState<RegisteredDevice | null | undefined>(undefined);
  const [revoked, setRevoked] = useState(false);
  const online = useOnline();

  useEffect(() => {
    loadDevice().then(
      (stored) => setDevice(stored ?? null),
      () => setDevice(null),
    );
  }, []);
  useOpenRequestsFromServiceWorker();

  const onRevoked = useCallback(() => {
    void forgetDevice();
    setDevice(null);
    setRevoked(true);
    navigate('/app/');
  }, []);

  return (
    <>
      <header class="bar">
        <Link href="/app/" class="brand">
          <img src="/app/icons/icon.svg" alt="" width="28" height="28" />
          <span>{t('appName')}</span>
        </Link>
        {device && (
          <nav aria-label={t('appName')}>
            {route.screen === 'device' ? (
              <Link href="/app/" class="bar-link">
                {t('homeTitle')}
              </Link>
            ) : (
              <Link href="/app/device" class="bar-link">
                {t('thisDevice')}
              </Link>
            )}
          </nav>
        )}
      </header>
      {!online && (
        <p class="offline" role="status">
          {t('offline')}
        </p>
      )}
      <main>
        {device === undefined ? (
          <p class="muted" aria-busy="true">
            {t('loading')}
          </p>
        ) : (
          <CurrentScreen route={route} context={{ device, setDevice, onRevoked }} revoked={revoked} />
        )}
      </main>
    </>
  );
}

function CurrentScreen({ route, context, revoked }: { route: Route; context: DeviceContext; revoked: boolean }) {
  switch (route.screen) {
    case 'activate':
      return <EnrollScreen code={route.code} context={context} />;
    case 'challenge':
      return <ChallengeScreen sessionId={route.sessionId} context={context} />;
    case 'device':
      return <DeviceScreen context={context} />;
    case 'home':
      return <HomeScreen context={context} revoked={revoked} />;
  }
}

/** Online as the browser says, and as the last call to the service found. */
function useOnline(): boolean {
  const [online, setOnline] = useState(navigator.onLine);
  useEffect(() => {
    const update = () => setOnline(navigator.onLine && serviceReachable());
    for (const event of ['online', 'offline', CONNECTIVITY_CHANGED]) addEventListener(event, update);
    return () => {
      for (const event of ['online', 'offline', CONNECTIVITY_CHANGED]) removeEventListener(event, update);
    };
  }, []);
  return online;
}

/** A tapped notification opens its approval screen in this window when the app is already open (service-worker.ts). */
function useOpenRequestsFromServiceWorker(): void {
  useEffect(() => {
    if (!('serviceWorker' in navigator)) return;
    const onMessage = (event: MessageEvent) => {
      const message = event.data as { type?: string; path?: string } | null;
      if (message?.type === 'open' && typeof message.path === 'string' && message.path.startsWith('/app/')) navigate(message.path);
    };
    navigator.serviceWorker.addEventListener('message', onMessage);
    return () => navigator.serviceWorker.removeEventListener('message', onMessage);
  }, []);
}
