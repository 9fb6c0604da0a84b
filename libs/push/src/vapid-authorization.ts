import webpush from 'web-push';

export interface VapidKeys {
  subject: string;
  publicKey: string;
  privateKey: string;
}

// web-push's own default lifetime; RFC 8292 §2 allows at most 24 hours.
const JWT_LIFETIME_SECONDS = 12 * 60 * 60;
// Renewed this long before it expires, so that no push ever leaves with a token
// about to expire on a push service whose clock runs ahead of ours.
const RENEW_BEFORE_EXPIRY_SECONDS = 60 * 60;
// Endpoints on wildcard hosts (*.notify.windows.com) could name any number of origins.
const MAX_ORIGINS = 1000;

/**
 * The VAPID `Authorization` header (RFC 8292) for each push-service origin.
 * web-push signs a fresh ES256 JWT for every message (~0.4 ms each); the JWT names
 * nothing but the push service's origin, our contact and its expiry, so one per
 * origin serves every message until shortly before it expires.
 */
export class VapidAuthorization {
  private readonly byOrigin = new Map<string, { header: string; renewAt: number }>();

  constructor(
    private readonly keys: VapidKeys,
    private readonly nowMs: () => number = Date.now,
  ) {}

  headerFor(endpoint: string): string {
    const origin = new URL(endpoint).origin;
    const now = Math.floor(this.nowMs() / 1000);
    const cached = this.byOrigin.get(origin);
    if (cached && now < cached.renewAt) return cached.header;

    const expiresAt = now + JWT_LIFETIME_SECONDS;
    const { Authorization: header } = webpush.getVapidHeaders(
      origin,
      this.keys.subject,
      this.keys.publicKey,
      this.keys.privateKey,
      'aes128gcm',
      expiresAt,
    );
    if (this.byOrigin.size >= MAX_ORIGINS) this.byOrigin.clear();
    this.byOrigin.set(origin, { header, renewAt: expiresAt - RENEW_BEFORE_EXPIRY_SECONDS });
    return header;
  }
}
