/**
 * What a push costs the worker's CPU before it leaves: encryption (RFC 8291, per
 * message, always) and the VAPID JWT (RFC 8292), signed per message by web-push
 * or taken from VapidAuthorization's per-origin cache as PushSender does.
 */
import { createECDH, randomBytes } from 'node:crypto';
import webpush from 'web-push';
import { VapidAuthorization } from '@assent/push';
import { QUICK } from './harness';

export interface VapidReport {
  messages: number;
  /** Microseconds of CPU per message to build the request: encryption plus a JWT signed for it. */
  signedPerMessageUs: number;
  /** The same with the per-origin cached JWT, as shipped. */
  cachedPerMessageUs: number;
  /** One ES256 JWT alone. */
  signatureUs: number;
}

export function vapidCost(): VapidReport {
  const keys = { subject: 'mailto:bench@example.com', ...webpush.generateVAPIDKeys() };
  const receiver = createECDH('prime256v1');
  receiver.generateKeys();
  const subscription = {
    endpoint: 'https://fcm.googleapis.com/fcm/send/bench',
    keys: { p256dh: receiver.getPublicKey().toString('base64url'), auth: randomBytes(16).toString('base64url') },
  };
  const payload = JSON.stringify({
    sessionId: '5d3a3e10-b511-42cd-b9b6-1f2a5701ba98',
    title: 'Approve €3.14 at Airline of the world inc.?',
    body: 'Card ending 9554 · tap to approve or decline',
    url: 'https://assent.example.com/app/challenges/5d3a3e10-b511-42cd-b9b6-1f2a5701ba98',
    expiresAt: new Date().toISOString(),
  });
  const cache = new VapidAuthorization(keys);
  const signed = () => webpush.generateRequestDetails(subscription, payload, { vapidDetails: keys, TTL: 120, urgency: 'high' });
  const cached = () => webpush.generateRequestDetails(subscription, payload, { headers: { Authorization: cache.headerFor(subscription.endpoint) }, TTL: 120, urgency: 'high' });
  const signature = () => webpush.getVapidHeaders('https://fcm.googleapis.com', keys.subject, keys.publicKey, keys.privateKey, 'aes128gcm');

  const messages = QUICK ? 300 : 2000;
  const time = (task: () => unknown, count: number) => {
    const started = performance.now();
    for (let i = 0; i < count; i++) task();
    return performance.now() - started;
  };
  // Warm up, then alternate in slices so that both see the same machine.
  time(signed, 100);
  time(cached, 100);
  time(signature, 100);
  const totals = { signed: 0, cached: 0, signature: 0 };
  const slice = messages / 10;
  for (let i = 0; i < 10; i++) {
    totals.signed += time(signed, slice);
    totals.cached += time(cached, slice);
    totals.signature += time(signature, slice);
  }
  const us = (ms: number) => (ms * 1000) / messages;
  return { messages, signedPerMessageUs: us(totals.signed), cachedPerMessageUs: us(totals.cached), signatureUs: us(totals.signature) };
}
