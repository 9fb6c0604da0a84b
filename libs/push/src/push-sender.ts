import { Inject, Injectable } from '@nestjs/common';
import webpush, { WebPushError } from 'web-push';
import { ENVIRONMENT, Environment } from '@assent/config';
import { ChallengePush, isAllowedPushEndpoint } from '@assent/domain';
import type { PushDeliveryOutcome, PushSubscriptionJson } from '@assent/persistence';
import { VapidAuthorization } from './vapid-authorization';

export interface PushResult {
  outcome: PushDeliveryOutcome;
  statusCode?: number;
  error?: string;
  durationMs: number;
}

/** Sends encrypted Web Push messages (RFC 8291 aes128gcm, VAPID RFC 8292). */
@Injectable()
export class PushSender {
  private readonly vapid: VapidAuthorization;

  constructor(@Inject(ENVIRONMENT) private readonly env: Environment) {
    this.vapid = new VapidAuthorization({ subject: env.VAPID_SUBJECT, publicKey: env.VAPID_PUBLIC_KEY, privateKey: env.VAPID_PRIVATE_KEY });
  }

  /**
   * `ttlSeconds` is what is left of the session: a push service must not deliver a
   * challenge after it has timed out. Urgency high wakes a sleeping phone at once.
   */
  async send(subscription: PushSubscriptionJson, message: ChallengePush, ttlSeconds: number): Promise<PushResult> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    // Checked again at send time: the allowed hosts may have changed since the device subscribed.
    if (!isAllowedPushEndpoint(subscription.endpoint, this.env.PUSH_ALLOWED_HOSTS)) {
      return { outcome: 'refused', error: 'push endpoint host is not allowed', durationMs: 0 };
    }
    try {
      // Each message is encrypted to its subscription's keys; only the signed VAPID
      // header is shared, per push service.
      const response = await webpush.sendNotification(subscription, JSON.stringify(message), {
        headers: { Authorization: this.vapid.headerFor(subscription.endpoint) },
        TTL: Math.max(0, Math.floor(ttlSeconds)),
        urgency: 'high',
        timeout: this.env.PUSH_REQUEST_TIMEOUT_MS,
        contentEncoding: 'aes128gcm',
      });
      return { outcome: 'accepted', statusCode: response.statusCode, durationMs: elapsed() };
    } catch (error) {
      if (error instanceof WebPushError) {
        return { outcome: classify(error.statusCode), statusCode: error.statusCode, error: error.body?.slice(0, 200) || error.message, durationMs: elapsed() };
      }
      return { outcome: 'transient', error: error instanceof Error ? error.message : String(error), durationMs: elapsed() };
    }
  }
}

/** 404/410: the subscription is gone for good (RFC 8030 §7.3); other 4xx: this message is refused; 429/5xx: try again. */
function classify(status: number): PushDeliveryOutcome {
  if (status === 404 || status === 410) return 'expired';
  if (status === 429 || status >= 500) return 'transient';
  return 'refused';
}
