import { createStore, del, get, set, UseStore } from 'idb-keyval';
import type { RegisteredDevice } from './api';

// IndexedDB, not localStorage: the service worker needs the token too, to decline
// from the notification.
let store: UseStore | undefined;
const deviceStore = () => (store ??= createStore('assent', 'device'));

export function loadDevice(): Promise<RegisteredDevice | undefined> {
  return get<RegisteredDevice>('device', deviceStore());
}

export function saveDevice(device: RegisteredDevice): Promise<void> {
  return set('device', device, deviceStore());
}

export function forgetDevice(): Promise<void> {
  return del('device', deviceStore());
}
