import { api, ApiError, OfflineError } from './api';
import type { MessageKey } from './messages';

/** How turning on notifications ended; anything but 'on' leaves the device in poll mode. */
export type PushOutcome = 'on' | 'skipped' | 'denied' | 'ios-install' | 'unsupported' | 'unavailable' | 'refused';

/** What to tell the cardholder about a device left without notifications, and how to fix it. */
export const PUSH_FIX: Record<Exclude<PushOutcome, 'on'>, MessageKey> = {
  skipped: 'pushFixSkipped',
  denied: 'pushFixDenied',
  'ios-install': 'pushFixIos',
  unsupported: 'pushFixUnsupported',
  unavailable: 'pushFixUnavailable',
  refused: 'pushFixRefused',
};

// A service worker that never becomes ready (blocked, broken) must not leave the button spinning.
const SERVICE_WORKER_WAIT_MS = 10000;

/**
 * Asks for permission, subscribes with the server's VAPID key and hands the
 * subscription to the server. Must run from a tap: browsers only ask for
 * permission in response to one.
 */
export async function enablePush(deviceToken: string): Promise<PushOutcome> {
  const unsupported = pushUnsupportedReason();
  if (unsupported) return unsupported;
  const permission = await Notification.requestPermission();
  // 'default': the cardholder closed the question without answering; it can be asked again.
  if (permission !== 'granted') return permission === 'denied' ? 'denied' : 'skipped';
  try {
    const registration = await withTimeout(navigator.serviceWorker.ready, SERVICE_WORKER_WAIT_MS);
    const { publicKey } = await api.vapidPublicKey();
    const subscription = await subscribe(registration.pushManager, base64UrlToBytes(publicKey));
    await api.updatePushSubscription(deviceToken, subscription.toJSON() as never);
    return 'on';
  } catch (error) {
    if (error instanceof ApiError && error.errorCode === 'PUSH_ENDPOINT_NOT_ALLOWED') return 'refused';
    if (error instanceof OfflineError) throw error;
    return 'unavailable';
  }
}

/** The existing subscription when it was made with this server key; a new one otherwise (the key may have been rotated). */
async function subscribe(pushManager: PushManager, serverKey: Uint8Array<ArrayBuffer>): Promise<PushSubscription> {
  const existing = await pushManager.getSubscription();
  if (existing) {
    const key = existing.options.applicationServerKey;
    if (key && sameBytes(new Uint8Array(key), serverKey)) return existing;
    await existing.unsubscribe();
  }
  return pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: serverKey });
}

/** Why this browser cannot do Web Push at all, when it cannot: then there is no point asking. */
export function pushUnsupportedReason(): 'ios-install' | 'unsupported' | undefined {
  if ('serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window) return undefined;
  return isIosBrowserTab() ? 'ios-install' : 'unsupported';
}

/** Whether this device's browser still holds a push subscription (it may have been revoked by the browser). */
export async function hasPushSubscription(): Promise<boolean> {
  if (!('serviceWorker' in navigator) || !('PushManager' in window)) return false;
  const registration = await navigator.serviceWorker.getRegistration('/app/');
  return Boolean(await registration?.pushManager.getSubscription());
}

export async function dropPushSubscription(): Promise<void> {
  if (!('serviceWorker' in navigator)) return;
  const registration = await navigator.serviceWorker.getRegistration('/app/');
  await (await registration?.pushManager?.getSubscription())?.unsubscribe();
}

/** Safari on iPhone and iPad offers Web Push only to apps added to the Home Screen. */
function isIosBrowserTab(): boolean {
  const ios = /iPhone|iPad|iPod/.test(navigator.userAgent) || (navigator.platform === 'MacIntel' && navigator.maxTouchPoints > 1);
  const standalone = matchMedia('(display-mode: standalone)').matches || (navigator as { standalone?: boolean }).standalone === true;
  return ios && !standalone;
}

function base64UrlToBytes(value: string): Uint8Array<ArrayBuffer> {
  const base64 = value.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(value.length / 4) * 4, '=');
  return Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, index) => byte === b[index]);
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timed out')), ms))]);
}
