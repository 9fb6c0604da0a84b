/**
 * A stand-in for a Web Push service (the role FCM or Mozilla autopush play), for
 * end-to-end tests that must prove our server sends correct encrypted pushes.
 *
 * It speaks the real protocol and is deliberately strict, so a push that would be
 * refused or undecryptable in production is refused here too:
 *
 *  - RFC 8030 (Generic Event Delivery Using HTTP Push): `POST /push/:id`, the TTL,
 *    Urgency and Topic headers, 201 Created on acceptance.
 *  - RFC 8292 (VAPID): `Authorization: vapid t=<JWT>, k=<public key>`, an ES256 JWT
 *    whose `aud` is this service's origin.
 *  - RFC 8291 (Message Encryption for Web Push) over RFC 8188 (aes128gcm): the body
 *    is decrypted with the subscription's private key and auth secret, exactly as a
 *    browser would, and must be JSON.
 *
 * The service plays both the push service and the browser: in reality the push
 * service never decrypts anything, the user agent does. Merging the two lets a test
 * assert on what the user's device would actually have shown.
 */
import { execFileSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export interface ReceivedPush {
  subscriptionId: string;
  /** The decrypted body, parsed as JSON. */
  payload: any;
  /** Seconds, from the TTL header. */
  ttl: number;
  urgency: string | undefined;
  topic?: string;
  /** Date.now() when the push was accepted. */
  receivedAt: number;
  /** The JWT's `sub` claim: the contact the application server gave. */
  vapidSubject: string;
  /** The JWT's `aud` claim (always equal to `origin` once accepted). */
  audience: string;
}

export interface PushRejection {
  subscriptionId?: string;
  reason: string;
}

export interface StandInSubscription {
  id: string;
  endpoint: string;
  /** base64url, as PushSubscription.toJSON() gives them. */
  keys: { p256dh: string; auth: string };
}

export type PushBehaviour = { status: number } | 'hang';

/** Real push services refuse payloads above 4 KiB (RFC 8030 only guarantees 4096 bytes). */
const MAX_BODY_BYTES = 4096;
/** RFC 8292 §2: a push service MAY reject a JWT whose `exp` is more than 24 hours away. */
const MAX_JWT_LIFETIME_SECONDS = 24 * 60 * 60;
const URGENCIES = new Set(['very-low', 'low', 'normal', 'high']);
const BASE64URL = /^[A-Za-z0-9_-]*$/;

interface SubscriptionState {
  ecdh: crypto.ECDH;
  authSecret: Buffer;
  behaviour: PushBehaviour;
  requests: number;
}

/** A refusal that becomes an HTTP answer and an entry in `rejections`. */
class Refusal extends Error {
  constructor(
    readonly status: number,
    reason: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(reason);
  }
}

export class PushServiceStandIn {
  readonly messages: ReceivedPush[] = [];
  readonly rejections: PushRejection[] = [];

  private readonly subscriptions = new Map<string, SubscriptionState>();
  private readonly requestCounts = new Map<string, number>();
  private readonly sockets = new Set<Socket>();
  private readonly listeners = new Set<() => void>();
  private stopped = false;

  private constructor(
    private readonly server: https.Server,
    private readonly tempDir: string,
    readonly caCertPath: string,
    readonly origin: string,
    private readonly expectedVapidKey: Buffer | undefined,
  ) {}

  /**
   * Starts the service on 127.0.0.1 with a fresh self-signed certificate for
   * `localhost`. Hand `caCertPath` to a child process as NODE_EXTRA_CA_CERTS (or to
   * an https.Agent's `ca` in-process) so it trusts the service.
   *
   * `expectedVapidPublicKey` makes every subscription "restricted" (RFC 8292 §4), as
   * when the browser subscribed with that applicationServerKey: pushes signed by
   * any other key are refused with 403.
   */
  static async start(opts: { expectedVapidPublicKey?: string } = {}): Promise<PushServiceStandIn> {
    const expectedVapidKey =
      opts.expectedVapidPublicKey === undefined ? undefined : decodeBase64url(opts.expectedVapidPublicKey, 'expectedVapidPublicKey');
    const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'push-service-'));
    try {
      const { keyPath, certPath } = makeSelfSignedCertificate(tempDir);
      const server = https.createServer({ key: fs.readFileSync(keyPath), cert: fs.readFileSync(certPath) });
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => {
          server.off('error', reject);
          resolve();
        });
      });
      const { port } = server.address() as AddressInfo;
      // web-push derives the VAPID audience from the endpoint's origin, so the
      // endpoints (and the `aud` we demand) must use the name the certificate is for.
      const standIn = new PushServiceStandIn(server, tempDir, certPath, `https://localhost:${port}`, expectedVapidKey);
      standIn.attach();
      return standIn;
    } catch (err) {
      fs.rmSync(tempDir, { recursive: true, force: true });
      throw err;
    }
  }

  /** Closes every connection, including hung ones, and removes the certificate. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    this.server.closeAllConnections();
    await closed;
    fs.rmSync(this.tempDir, { recursive: true, force: true });
  }

  /**
   * What a browser's PushManager.subscribe() would hand the application: a
   * capability URL plus the P-256 public key and 16-byte auth secret the
   * application server must encrypt to.
   */
  createSubscription(): StandInSubscription {
    const id = crypto.randomBytes(16).toString('base64url');
    const ecdh = crypto.createECDH('prime256v1');
    ecdh.generateKeys();
    const authSecret = crypto.randomBytes(16);
    this.subscriptions.set(id, { ecdh, authSecret, behaviour: { status: 201 }, requests: 0 });
    return {
      id,
      endpoint: `${this.origin}/push/${id}`,
      keys: {
        // Uncompressed point (0x04 || X || Y), 65 bytes, which is what browsers expose.
        p256dh: ecdh.getPublicKey().toString('base64url'),
        auth: authSecret.toString('base64url'),
      },
    };
  }

  /**
   * Programs the answer to later valid pushes for a subscription: e.g. `{ status: 410 }`
   * for an expired subscription, `{ status: 429 }` for throttling, or 'hang' for a
   * service that accepts the request and never answers (until stop()).
   * Invalid pushes are still refused with 4xx whatever is programmed.
   */
  respondWith(subscriptionId: string, behaviour: PushBehaviour): void {
    const subscription = this.subscriptions.get(subscriptionId);
    if (!subscription) throw new Error(`respondWith: no subscription ${subscriptionId} on this push service`);
    if (behaviour !== 'hang' && !(Number.isInteger(behaviour.status) && behaviour.status >= 200 && behaviour.status <= 599)) {
      throw new Error(`respondWith: status must be an integer in 200..599, got ${String(behaviour.status)}`);
    }
    subscription.behaviour = behaviour;
  }

  /** Every request that arrived for the subscription: accepted, refused or hung. */
  requestCount(subscriptionId: string): number {
    return this.requestCounts.get(subscriptionId) ?? 0;
  }

  /** Resolves with the matching messages once at least `count` have arrived. */
  waitForMessages(predicate: (m: ReceivedPush) => boolean, count = 1, timeoutMs = 10000): Promise<ReceivedPush[]> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const matching = this.messages.filter(predicate);
        if (matching.length < count) return false;
        cleanup();
        resolve(matching);
        return true;
      };
      const timer = setTimeout(() => {
        cleanup();
        const matching = this.messages.filter(predicate).length;
        const recentRejections = this.rejections
          .slice(-5)
          .map((r) => `  ${r.subscriptionId ?? '(no subscription)'}: ${r.reason}`)
          .join('\n');
        reject(
          new Error(
            `PushServiceStandIn: timed out after ${timeoutMs} ms waiting for ${count} matching push message(s); ` +
              `${matching} matched, ${this.messages.length} received in total, ${this.rejections.length} rejected` +
              (recentRejections ? `. Latest rejections:\n${recentRejections}` : ''),
          ),
        );
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.listeners.delete(listener);
      };
      const listener = (): void => void check();
      if (!check()) this.listeners.add(listener);
    });
  }

  private attach(): void {
    this.server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    // A client that does not trust our certificate fails the handshake; that is its
    // error to report, not ours.
    this.server.on('tlsClientError', () => undefined);
    this.server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      this.handle(req, res).catch((err: unknown) => {
        this.refuse(res, undefined, new Refusal(500, `push service stand-in failed: ${String(err)}`));
      });
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.origin);
    const match = /^\/push\/([^/]+)$/.exec(url.pathname);
    const subscriptionId = match?.[1];
    if (subscriptionId !== undefined) {
      this.requestCounts.set(subscriptionId, this.requestCount(subscriptionId) + 1);
    }

    // Read the whole body even when it is too large, so the client gets our 413
    // rather than a connection reset while it is still writing.
    const { body, tooLarge } = await readBody(req, MAX_BODY_BYTES);

    try {
      if (subscriptionId === undefined) throw new Refusal(404, `no push resource at ${url.pathname}`);
      if (req.method !== 'POST') throw new Refusal(405, `push resources accept POST, not ${req.method}`, { Allow: 'POST' });
      const subscription = this.subscriptions.get(subscriptionId);
      if (!subscription) throw new Refusal(404, `unknown subscription ${subscriptionId}`);
      if (tooLarge) throw new Refusal(413, `body exceeds ${MAX_BODY_BYTES} bytes`);

      const vapid = this.verifyVapid(req.headers.authorization);
      const { ttl, urgency, topic } = readPushHeaders(req);
      const payload = decryptJsonPayload(body, subscription);

      const behaviour = subscription.behaviour;
      if (behaviour === 'hang') return; // never answer; stop() closes the socket
      if (behaviour.status < 200 || behaviour.status > 299) {
        throw new Refusal(behaviour.status, `programmed response ${behaviour.status}`);
      }

      this.messages.push({
        subscriptionId,
        payload,
        ttl,
        urgency,
        ...(topic === undefined ? {} : { topic }),
        receivedAt: Date.now(),
        vapidSubject: vapid.subject,
        audience: vapid.audience,
      });
      // RFC 8030 §5: 201 Created with a Location for the push message resource.
      res.writeHead(behaviour.status, {
        Location: `${this.origin}/message/${crypto.randomUUID()}`,
        TTL: String(ttl),
        'Content-Length': '0',
      });
      res.end();
      for (const listener of [...this.listeners]) listener();
    } catch (err) {
      if (!(err instanceof Refusal)) throw err;
      this.refuse(res, subscriptionId, err);
    }
  }

  private refuse(res: ServerResponse, subscriptionId: string | undefined, refusal: Refusal): void {
    this.rejections.push({ ...(subscriptionId === undefined ? {} : { subscriptionId }), reason: `${refusal.status} ${refusal.message}` });
    if (res.headersSent || res.destroyed) return;
    res.writeHead(refusal.status, { 'Content-Type': 'text/plain; charset=utf-8', ...refusal.headers });
    res.end(refusal.message);
  }

  /**
   * RFC 8292 §3: `Authorization: vapid t=<JWT>, k=<key>`. The key is part of the
   * header (not looked up anywhere), so the signature only proves possession of *a*
   * key; tying it to the application is what `expectedVapidPublicKey` is for.
   * Absent or unusable credentials are 401, credentials that do not check out are
   * 403 (RFC 8292 §4.2).
   */
  private verifyVapid(authorization: string | undefined): { subject: string; audience: string } {
    const challenge = { 'WWW-Authenticate': 'vapid' };
    if (!authorization) throw new Refusal(401, 'missing Authorization header (VAPID required)', challenge);
    const schemeEnd = authorization.indexOf(' ');
    const scheme = schemeEnd < 0 ? authorization : authorization.slice(0, schemeEnd);
    if (scheme.toLowerCase() !== 'vapid') {
      // e.g. "WebPush <jwt>" + Crypto-Key, the pre-RFC form used with aesgcm.
      throw new Refusal(401, `Authorization scheme must be "vapid", got "${scheme}"`, challenge);
    }
    const params = new Map<string, string>();
    for (const part of authorization.slice(schemeEnd + 1).split(',')) {
      const eq = part.indexOf('=');
      if (eq > 0) params.set(part.slice(0, eq).trim().toLowerCase(), part.slice(eq + 1).trim());
    }
    const token = params.get('t');
    const k = params.get('k');
    if (!token || !k) throw new Refusal(401, 'vapid Authorization needs both t= and k= parameters', challenge);

    let publicKey: crypto.KeyObject;
    let rawKey: Buffer;
    try {
      rawKey = decodeBase64url(k, 'k');
      publicKey = p256PublicKeyFromRaw(rawKey);
    } catch (err) {
      throw new Refusal(401, `vapid k= is not an uncompressed P-256 public key: ${(err as Error).message}`, challenge);
    }
    if (this.expectedVapidKey && !rawKey.equals(this.expectedVapidKey)) {
      throw new Refusal(403, 'vapid k= does not match the applicationServerKey this subscription was created with');
    }

    const parts = token.split('.');
    if (parts.length !== 3) throw new Refusal(401, 'vapid t= is not a compact JWS (header.payload.signature)', challenge);
    const [headerPart, claimsPart, signaturePart] = parts;
    let header: unknown;
    let claims: Record<string, unknown>;
    let signature: Buffer;
    try {
      header = JSON.parse(decodeBase64url(headerPart, 'JWT header').toString('utf8'));
      claims = JSON.parse(decodeBase64url(claimsPart, 'JWT claims').toString('utf8'));
      signature = decodeBase64url(signaturePart, 'JWT signature');
    } catch (err) {
      throw new Refusal(401, `vapid t= is not a readable JWT: ${(err as Error).message}`, challenge);
    }
    if (typeof header !== 'object' || header === null || (header as { alg?: unknown }).alg !== 'ES256') {
      throw new Refusal(403, `JWT alg must be ES256, header was ${JSON.stringify(header)}`);
    }
    if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) {
      throw new Refusal(403, 'JWT claims are not a JSON object');
    }
    // JWS ES256 signatures are raw r||s (RFC 7518 §3.4), not DER.
    const signedOk =
      signature.length === 64 &&
      crypto.verify('sha256', Buffer.from(`${headerPart}.${claimsPart}`, 'ascii'), { key: publicKey, dsaEncoding: 'ieee-p1363' }, signature);
    if (!signedOk) throw new Refusal(403, 'JWT signature does not verify with the vapid k= key');

    const { aud, exp, sub } = claims;
    if (aud !== this.origin) {
      throw new Refusal(403, `JWT aud must be this push service's origin ${this.origin}, got ${JSON.stringify(aud)}`);
    }
    const now = Math.floor(Date.now() / 1000);
    if (typeof exp !== 'number' || !Number.isFinite(exp)) throw new Refusal(403, `JWT exp must be a NumericDate, got ${JSON.stringify(exp)}`);
    if (exp <= now) throw new Refusal(403, `JWT expired ${now - exp} s ago`);
    if (exp - now > MAX_JWT_LIFETIME_SECONDS) throw new Refusal(403, `JWT exp is ${exp - now} s ahead; at most 24 h is allowed`);
    if (typeof sub !== 'string' || !(sub.startsWith('mailto:') || sub.startsWith('https:'))) {
      throw new Refusal(403, `JWT sub must be a mailto: or https: URI, got ${JSON.stringify(sub)}`);
    }
    return { subject: sub, audience: aud };
  }
}

/** RFC 8030 §5.2–5.4 request headers. */
function readPushHeaders(req: IncomingMessage): { ttl: number; urgency: string | undefined; topic: string | undefined } {
  const ttlHeader = header(req, 'ttl');
  if (ttlHeader === undefined) throw new Refusal(400, 'missing TTL header');
  if (!/^\d+$/.test(ttlHeader.trim())) throw new Refusal(400, `TTL must be a non-negative integer, got "${ttlHeader}"`);
  const ttl = Number(ttlHeader.trim());

  const encoding = header(req, 'content-encoding');
  if (encoding?.trim().toLowerCase() !== 'aes128gcm') {
    throw new Refusal(400, `Content-Encoding must be aes128gcm (RFC 8291), got ${encoding === undefined ? 'none' : `"${encoding}"`}`);
  }

  const urgency = header(req, 'urgency');
  if (urgency !== undefined && !URGENCIES.has(urgency)) {
    throw new Refusal(400, `Urgency must be one of ${[...URGENCIES].join(', ')}; got "${urgency}"`);
  }

  const topic = header(req, 'topic');
  if (topic !== undefined && (topic.length === 0 || topic.length > 32 || !BASE64URL.test(topic))) {
    throw new Refusal(400, `Topic must be 1..32 base64url characters, got "${topic}"`);
  }
  return { ttl, urgency, topic };
}

function decryptJsonPayload(body: Buffer, subscription: SubscriptionState): unknown {
  if (body.length === 0) throw new Refusal(400, 'empty body; a push with a payload was expected');
  let plaintext: Buffer;
  try {
    plaintext = decryptWebPushPayload(body, subscription.ecdh, subscription.authSecret);
  } catch (err) {
    throw new Refusal(400, `cannot decrypt the payload for this subscription: ${(err as Error).message}`);
  }
  try {
    return JSON.parse(plaintext.toString('utf8'));
  } catch {
    throw new Refusal(400, `decrypted payload is not JSON: ${JSON.stringify(plaintext.toString('utf8').slice(0, 200))}`);
  }
}

/**
 * Decrypts an RFC 8291 push message body as a browser would.
 *
 * Written against the RFCs with Node's crypto instead of using http_ece, because
 * web-push encrypts with http_ece: decrypting with the same code would let a bug in
 * it cancel itself out. The spec checks this against RFC 8291 Appendix A.
 *
 * Body layout (RFC 8188 §2.1): salt(16) | rs(uint32) | idlen(1) | keyid(idlen) | record.
 */
export function decryptWebPushPayload(body: Buffer, receiver: crypto.ECDH, authSecret: Buffer): Buffer {
  if (body.length < 21) throw new Error('shorter than the aes128gcm header');
  const salt = body.subarray(0, 16);
  const rs = body.readUInt32BE(16);
  const idlen = body[20];
  // RFC 8291 §4: keyid carries the sender's ephemeral public key, uncompressed.
  if (idlen !== 65) throw new Error(`keyid must be the 65-byte sender public key, has ${idlen} bytes`);
  if (body.length < 21 + idlen) throw new Error('truncated aes128gcm header');
  const senderPublicKey = body.subarray(21, 21 + idlen);
  if (senderPublicKey[0] !== 0x04) throw new Error('keyid is not an uncompressed P-256 point');
  const record = body.subarray(21 + idlen);
  if (rs < 18) throw new Error(`record size ${rs} is below the RFC 8188 minimum of 18`);
  // RFC 8291 §4: exactly one record, so a minimal user agent can decrypt it.
  if (record.length > rs) throw new Error(`payload spans more than one record (record size ${rs}, ciphertext ${record.length})`);
  if (record.length < 17) throw new Error('record too short for the tag and padding delimiter');

  const receiverPublicKey = receiver.getPublicKey();
  const ecdhSecret = receiver.computeSecret(senderPublicKey); // throws on a point not on the curve
  // RFC 8291 §3.3–3.4: mix the auth secret and both public keys into the IKM, then
  // derive the content key and nonce from it with the per-message salt (RFC 8188 §2.2–2.3).
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0', 'ascii'), receiverPublicKey, senderPublicKey]);
  const ikm = Buffer.from(crypto.hkdfSync('sha256', ecdhSecret, authSecret, keyInfo, 32));
  const cek = Buffer.from(crypto.hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0', 'ascii'), 16));
  // The nonce is XORed with the record sequence number, which is 0 for the only record.
  const nonce = Buffer.from(crypto.hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0', 'ascii'), 12));

  const decipher = crypto.createDecipheriv('aes-128-gcm', cek, nonce);
  decipher.setAuthTag(record.subarray(record.length - 16));
  let padded: Buffer;
  try {
    padded = Buffer.concat([decipher.update(record.subarray(0, record.length - 16)), decipher.final()]);
  } catch {
    throw new Error('AES-GCM authentication failed (encrypted to other keys, or corrupted)');
  }
  // RFC 8188 §2: plaintext || delimiter || zero padding; the last record's delimiter is 0x02.
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end--;
  if (end < 0) throw new Error('record has no padding delimiter');
  if (padded[end] !== 0x02) throw new Error(`last record's padding delimiter must be 0x02, got 0x${padded[end].toString(16)}`);
  return padded.subarray(0, end);
}

function p256PublicKeyFromRaw(raw: Buffer): crypto.KeyObject {
  if (raw.length !== 65 || raw[0] !== 0x04) throw new Error(`expected 65 bytes starting 0x04, got ${raw.length} bytes`);
  // createPublicKey rejects points that are not on the curve.
  return crypto.createPublicKey({
    key: { kty: 'EC', crv: 'P-256', x: raw.subarray(1, 33).toString('base64url'), y: raw.subarray(33).toString('base64url') },
    format: 'jwk',
  });
}

/** Buffer.from(…, 'base64url') silently skips junk; a verifier should not. */
function decodeBase64url(value: string, what: string): Buffer {
  const trimmed = value.replace(/=+$/, '');
  if (!BASE64URL.test(trimmed) || trimmed.length % 4 === 1) throw new Error(`${what} is not base64url`);
  return Buffer.from(trimmed, 'base64url');
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

async function readBody(req: IncomingMessage, limit: number): Promise<{ body: Buffer; tooLarge: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= limit) chunks.push(chunk);
  }
  return { body: Buffer.concat(chunks), tooLarge: size > limit };
}

/**
 * A self-signed certificate that is its own CA, so one PEM file serves both as the
 * server certificate and as the trust anchor (NODE_EXTRA_CA_CERTS or an Agent's `ca`).
 * The config is written out rather than taken from the system openssl.cnf, whose
 * defaults differ between distributions.
 */
function makeSelfSignedCertificate(dir: string): { keyPath: string; certPath: string } {
  const configPath = path.join(dir, 'openssl.cnf');
  const keyPath = path.join(dir, 'key.pem');
  const certPath = path.join(dir, 'cert.pem');
  fs.writeFileSync(
    configPath,
    [
      '[req]',
      'prompt = no',
      'distinguished_name = dn',
      'x509_extensions = ext',
      '[dn]',
      'CN = localhost',
      '[ext]',
      'basicConstraints = critical, CA:TRUE',
      'keyUsage = critical, digitalSignature, keyCertSign',
      'extendedKeyUsage = serverAuth',
      'subjectKeyIdentifier = hash',
      'subjectAltName = DNS:localhost, IP:127.0.0.1',
      '',
    ].join('\n'),
  );
  // prettier-ignore
  execFileSync('openssl', [
    'req', '-x509', '-config', configPath,
    '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-days', '2', '-keyout', keyPath, '-out', certPath,
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
  return { keyPath, certPath };
}
