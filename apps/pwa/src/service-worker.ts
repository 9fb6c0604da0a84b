/// <reference lib="webworker" />
/**
 * The app's service worker, at /app/sw.js with scope /app/: it shows a notification
 * for every push (browsers revoke subscriptions that push silently), opens the
 * approval screen when one is tapped, declines from the notification's own
 * button, and keeps the app shell so the app opens offline.
 */
import { api, ApiError } from './api';
import { loadDevice } from './device-store';
import { describeError } from './errors';
import { MessageKey, t } from './messages';
import { ChallengePush, challengeNotification, declinedNotification } from './notification-text';

declare const self: ServiceWorkerGlobalScope;
/** The build's files and their content hash (scripts/build-pwa.mjs). */
declare const __PRECACHE__: string[];
declare const __VERSION__: string;

const CACHE = `assent-app-${__VERSION__}`;
const APP_ROOT = '/app/';
const ICON = '/app/icons/icon-192.png';
const BADGE = '/app/icons/badge-96.png';

interface NotificationData {
  url: string;
  sessionId?: string;
  amount?: ChallengePush['amount'];
  merchant?: ChallengePush['merchant'];
}

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(__PRECACHE__))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((key) => key.startsWith('assent-app-') && key !== CACHE).map((key) => caches.delete(key))))
      .then(() => self.clients.claim()),
  );
});

/**
 * The app's own files come from the cache (they are versioned with this worker);
 * every screen of the app is the one shell. The API is never cached: a purchase
 * must never be approved from stale data.
 */
self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== self.location.origin || !url.pathname.startsWith(APP_ROOT)) return;
  const cached = event.request.mode === 'navigate' ? caches.match(APP_ROOT, { cacheName: CACHE }) : caches.match(event.request, { cacheName: CACHE });
  event.respondWith(cached.then((response) => response ?? fetch(event.request)));
});

self.addEventListener('push', (event) => {
  event.waitUntil(showChallenge(event.data));
});

self.addEventListener('notificationclick', (event) => {
  const data = (event.notification.data ?? { url: APP_ROOT }) as NotificationData;
  event.notification.close();
  event.waitUntil(event.action === 'decline' && data.sessionId ? declineFromNotification(data.sessionId, data) : openApp(data.url));
});

async function showChallenge(payload: PushMessageData | null): Promise<void> {
  const push = parsePush(payload);
  if (!push) {
    await self.registration.showNotification(t('notificationGeneric'), { icon: ICON, badge: BADGE, data: { url: APP_ROOT } });
    return;
  }
  const { title, body } = challengeNotification(push);
  const data: NotificationData = { url: push.url, sessionId: push.sessionId, amount: push.amount, merchant: push.merchant };
  await self.registration.showNotification(title, {
    body,
    icon: ICON,
    badge: BADGE,
    // One notification per purchase, even when the push is delivered twice.
    tag: push.sessionId,
    requireInteraction: true,
    data,
    actions: [{ action: 'decline', title: t('decline') }],
  } as NotificationOptions);
  // An open app refreshes its list at once instead of at its next poll.
  for (const client of await self.clients.matchAll({ type: 'window' })) client.postMessage({ type: 'challenge', sessionId: push.sessionId });
}

function parsePush(payload: PushMessageData | null): ChallengePush | null {
  try {
    const push = payload?.json() as ChallengePush | undefined;
    return push && typeof push.sessionId === 'string' && typeof push.title === 'string' ? push : null;
  } catch {
    return null;
  }
}

/**
 * Opens the approval screen: in the app's window when it is open (the app moves
 * to the screen itself, without reloading), in a new one otherwise. Only paths
 * of this app are opened, whatever a push says.
 */
async function openApp(url: string): Promise<void> {
  const target = new URL(url, self.location.origin);
  const path = target.origin === self.location.origin && target.pathname.startsWith(APP_ROOT) ? target.pathname + target.search : APP_ROOT;
  const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  const open = windows.find((client) => new URL(client.url).pathname.startsWith(APP_ROOT));
  if (open) {
    await open.focus().catch(() => undefined);
    open.postMessage({ type: 'open', path });
    return;
  }
  await self.clients.openWindow(path);
}

/** The notification's Decline button: declined without opening the app, and the cardholder is told how it went. */
async function declineFromNotification(sessionId: string, data: NotificationData): Promise<void> {
  const device = await loadDevice();
  if (!device) return openApp(data.url);
  try {
    await api.decline(device.deviceToken, sessionId);
    const { title, body } = declinedNotification(data);
    await self.registration.showNotification(title, { body, icon: ICON, badge: BADGE, tag: sessionId, data: { url: data.url } });
  } catch (error) {
    const ended = error instanceof ApiError && error.errorCode === 'SESSION_ALREADY_DECIDED' ? ENDED_TITLES[error.reason] : undefined;
    await self.registration.showNotification(ended ? t(ended) : t('notificationDeclineFailedTitle'), {
      body: ended ? t('notificationSeeDetails') : `${t(describeError(error).message)} ${t('notificationDeclineFailedBody')}`,
      icon: ICON,
      badge: BADGE,
      tag: sessionId,
      data: { url: data.url },
    });
  }
}

/** A decline that came too late: how the purchase had already ended (the 409's errorReason). */
const ENDED_TITLES: Record<string, MessageKey> = {
  APPROVED: 'alreadyApprovedTitle',
  DECLINED: 'alreadyDeclinedTitle',
  TIMEOUT: 'timedOutTitle',
  ERROR: 'failedTitle',
};
