/**
 * Proves the push service stand-in against the real sender our server uses
 * (web-push), and that it refuses what a real push service or browser would.
 */
import { execFile } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as https from 'node:https';
import webpush, { type RequestOptions, type VapidKeys, WebPushError } from 'web-push';
import { decryptWebPushPayload, PushServiceStandIn, type StandInSubscription } from './push-service';

const SUBJECT = 'mailto:ops@example.test';

/** Signs a VAPID JWT with arbitrary header and claims, to forge the tokens web-push refuses to make. */
function signJwt(keys: VapidKeys, claims: Record<string, unknown>, header: Record<string, unknown> = { typ: 'JWT', alg: 'ES256' }): string {
  const pub = Buffer.from(keys.publicKey, 'base64url');
  const privateKey = crypto.createPrivateKey({
    key: {
      kty: 'EC',
      crv: 'P-256',
      x: pub.subarray(1, 33).toString('base64url'),
      y: pub.subarray(33).toString('base64url'),
      d: keys.privateKey,
    },
    format: 'jwk',
  });
  const encode = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url');
  const signingInput = `${encode(header)}.${encode(claims)}`;
  const signature = crypto.sign('sha256', Buffer.from(signingInput), { key: privateKey, dsaEncoding: 'ieee-p1363' });
  return `${signingInput}.${signature.toString('base64url')}`;
}

describe('PushServiceStandIn', () => {
  let service: PushServiceStandIn;
  let agent: https.Agent;
  let vapid: VapidKeys;

  const options = (extra: RequestOptions = {}): RequestOptions => ({
    vapidDetails: { subject: SUBJECT, publicKey: vapid.publicKey, privateKey: vapid.privateKey },
    TTL: 60,
    urgency: 'high',
    agent,
    ...extra,
  });

  /** Sends what web-push would, after `tamper` has edited the request; for pushes web-push itself cannot produce. */
  async function sendRaw(
    subscription: StandInSubscription,
    payload: string,
    tamper: (request: { headers: Record<string, string>; body: Buffer }) => void = () => undefined,
  ): Promise<{ status: number; text: string }> {
    const details = webpush.generateRequestDetails(subscription, payload, options());
    const request = { headers: { ...details.headers }, body: details.body };
    tamper(request);
    return post(details.endpoint, request.headers, request.body);
  }

  function post(endpoint: string, headers: Record<string, string>, body: Buffer): Promise<{ status: number; text: string }> {
    return new Promise((resolve, reject) => {
      const req = https.request(endpoint, { method: 'POST', headers: { ...headers, 'Content-Length': String(body.length) }, agent }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  async function expectRejected(send: Promise<unknown>, status: number): Promise<WebPushError> {
    const err = await send.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(WebPushError);
    expect((err as WebPushError).statusCode).toBe(status);
    return err as WebPushError;
  }

  beforeAll(async () => {
    service = await PushServiceStandIn.start();
    agent = new https.Agent({ ca: fs.readFileSync(service.caCertPath) });
    vapid = webpush.generateVAPIDKeys();
  });

  afterAll(async () => {
    agent.destroy();
    await service.stop();
  });

  it('decrypts the RFC 8291 Appendix A example message', () => {
    const receiver = crypto.createECDH('prime256v1');
    receiver.setPrivateKey(Buffer.from('q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94', 'base64url'));
    const body = Buffer.from(
      'DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_y' +
        'l95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN',
      'base64url',
    );
    const plaintext = decryptWebPushPayload(body, receiver, Buffer.from('BTBZMqHH6r4Tts7J_aSIgg', 'base64url'));
    expect(plaintext.toString('utf8')).toBe('When I grow up, I want to be a watermelon');
  });

  it('hands out browser-shaped subscriptions on its own origin', () => {
    const subscription = service.createSubscription();
    expect(service.origin).toMatch(/^https:\/\/localhost:\d+$/);
    expect(subscription.endpoint).toBe(`${service.origin}/push/${subscription.id}`);
    expect(Buffer.from(subscription.keys.p256dh, 'base64url')).toHaveLength(65);
    expect(Buffer.from(subscription.keys.auth, 'base64url')).toHaveLength(16);
  });

  it('decrypts and records a push sent by web-push, with its TTL, urgency and topic', async () => {
    const subscription = service.createSubscription();
    const result = await webpush.sendNotification(subscription, JSON.stringify({ kind: 'challenge', id: 42 }), options({ topic: 'challenge42' }));

    expect(result.statusCode).toBe(201);
    expect(result.headers.location).toMatch(new RegExp(`^${service.origin}/message/`));
    const [message] = await service.waitForMessages((m) => m.subscriptionId === subscription.id);
    expect(message).toMatchObject({
      subscriptionId: subscription.id,
      payload: { kind: 'challenge', id: 42 },
      ttl: 60,
      urgency: 'high',
      topic: 'challenge42',
      vapidSubject: SUBJECT,
      audience: service.origin,
    });
    expect(message.receivedAt).toBeLessThanOrEqual(Date.now());
    expect(service.requestCount(subscription.id)).toBe(1);
  });

  it('waitForMessages waits for pushes still to come, and times out with a clear error', async () => {
    const subscription = service.createSubscription();
    const waiting = service.waitForMessages((m) => m.subscriptionId === subscription.id, 2, 5000);
    await webpush.sendNotification(subscription, JSON.stringify({ n: 1 }), options());
    await webpush.sendNotification(subscription, JSON.stringify({ n: 2 }), options());
    expect((await waiting).map((m) => m.payload)).toEqual([{ n: 1 }, { n: 2 }]);

    await expect(service.waitForMessages((m) => m.subscriptionId === subscription.id, 3, 100)).rejects.toThrow(
      /timed out after 100 ms waiting for 3 matching push message\(s\); 2 matched/,
    );
  });

  it('lets a child process trust the service through NODE_EXTRA_CA_CERTS', async () => {
    const script = `require('https').get(process.argv[1] + '/', (res) => { console.log(res.statusCode); res.resume(); }).on('error', (e) => { console.error(e.message); process.exit(1); });`;
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, ['-e', script, service.origin], { env: { ...process.env, NODE_EXTRA_CA_CERTS: service.caCertPath } }, (err, out, errOut) =>
        err ? reject(new Error(`${err.message}\n${errOut}`)) : resolve(out),
      ),
    );
    expect(stdout.trim()).toBe('404');
  });

  describe('VAPID (RFC 8292)', () => {
    it('refuses a push signed with a key other than the subscription was made for, and records nothing', async () => {
      const restricted = await PushServiceStandIn.start({ expectedVapidPublicKey: vapid.publicKey });
      const restrictedAgent = new https.Agent({ ca: fs.readFileSync(restricted.caCertPath) });
      try {
        const subscription = restricted.createSubscription();
        const otherKeys = webpush.generateVAPIDKeys();
        const err = await expectRejected(
          webpush.sendNotification(
            subscription,
            JSON.stringify({ hello: 'world' }),
            options({ agent: restrictedAgent, vapidDetails: { subject: SUBJECT, ...otherKeys } }),
          ),
          403,
        );
        expect(err.body).toMatch(/does not match the applicationServerKey/);
        expect(restricted.messages).toHaveLength(0);
        expect(restricted.rejections).toEqual([{ subscriptionId: subscription.id, reason: expect.stringMatching(/^403 /) }]);

        // The right key still gets through.
        await webpush.sendNotification(subscription, JSON.stringify({ hello: 'world' }), options({ agent: restrictedAgent }));
        expect(restricted.messages).toHaveLength(1);
      } finally {
        restrictedAgent.destroy();
        await restricted.stop();
      }
    });

    it('refuses a JWT whose signature was tampered with', async () => {
      const subscription = service.createSubscription();
      const response = await sendRaw(subscription, JSON.stringify({ a: 1 }), (request) => {
        // Swap the claims for others; the signature no longer covers them.
        const [header, , signature] = /t=([^,]+)/.exec(request.headers.Authorization)![1].split('.');
        const forgedClaims = Buffer.from(JSON.stringify({ aud: service.origin, exp: Math.floor(Date.now() / 1000) + 60, sub: 'mailto:evil@example.test' })).toString('base64url');
        request.headers.Authorization = request.headers.Authorization.replace(/t=[^,]+/, `t=${header}.${forgedClaims}.${signature}`);
      });
      expect(response).toEqual({ status: 403, text: 'JWT signature does not verify with the vapid k= key' });
      expect(service.messages.filter((m) => m.subscriptionId === subscription.id)).toHaveLength(0);
    });

    it('refuses a JWT whose aud is another origin', async () => {
      const subscription = service.createSubscription();
      // What a sender computing the audience wrongly would produce, e.g. from a hard-coded FCM origin.
      const { Authorization } = webpush.getVapidHeaders('https://fcm.googleapis.com', SUBJECT, vapid.publicKey, vapid.privateKey, 'aes128gcm');
      const response = await sendRaw(subscription, JSON.stringify({ a: 1 }), (request) => {
        request.headers.Authorization = Authorization;
      });
      expect(response.status).toBe(403);
      expect(response.text).toMatch(/JWT aud must be this push service's origin/);
      expect(service.rejections).toContainEqual({ subscriptionId: subscription.id, reason: expect.stringMatching(/aud/) });
      expect(service.messages.filter((m) => m.subscriptionId === subscription.id)).toHaveLength(0);
    });

    it('refuses an aud naming the right host by another name (127.0.0.1 instead of localhost)', async () => {
      const subscription = service.createSubscription();
      // web-push derives aud from the endpoint, so this request is otherwise perfect.
      const endpoint = subscription.endpoint.replace('//localhost:', '//127.0.0.1:');
      await expectRejected(webpush.sendNotification({ ...subscription, endpoint }, JSON.stringify({ a: 1 }), options()), 403);
    });

    const now = (): number => Math.floor(Date.now() / 1000);
    it.each([
      ['an expired exp', () => ({ aud: service.origin, exp: now() - 1, sub: SUBJECT }), undefined, /JWT expired/],
      ['an exp more than 24 h ahead', () => ({ aud: service.origin, exp: now() + 25 * 3600, sub: SUBJECT }), undefined, /at most 24 h/],
      ['no exp', () => ({ aud: service.origin, sub: SUBJECT }), undefined, /JWT exp must be/],
      ['a sub that is neither mailto: nor https:', () => ({ aud: service.origin, exp: now() + 60, sub: 'ops@example.test' }), undefined, /JWT sub must be/],
      ['an aud without the port', () => ({ aud: 'https://localhost', exp: now() + 60, sub: SUBJECT }), undefined, /JWT aud must be/],
      ['an alg other than ES256', () => ({ aud: service.origin, exp: now() + 60, sub: SUBJECT }), { typ: 'JWT', alg: 'ES384' }, /alg must be ES256/],
    ])('refuses a JWT with %s', async (_name, claims, header, reason) => {
      const subscription = service.createSubscription();
      const response = await sendRaw(subscription, JSON.stringify({ a: 1 }), (request) => {
        request.headers.Authorization = `vapid t=${signJwt(vapid, claims(), header)}, k=${vapid.publicKey}`;
      });
      expect(response.status).toBe(403);
      expect(response.text).toMatch(reason);
    });

    it('accepts a JWT it did not get from web-push when everything checks out', async () => {
      const subscription = service.createSubscription();
      const response = await sendRaw(subscription, JSON.stringify({ a: 1 }), (request) => {
        request.headers.Authorization = `vapid t=${signJwt(vapid, { aud: service.origin, exp: now() + 60, sub: 'https://example.test/contact' })}, k=${vapid.publicKey}`;
      });
      expect(response.status).toBe(201);
      expect((await service.waitForMessages((m) => m.subscriptionId === subscription.id))[0].vapidSubject).toBe('https://example.test/contact');
    });

    it.each([
      ['no Authorization', (h: Record<string, string>) => delete h.Authorization, /missing Authorization/],
      ['the pre-RFC "WebPush" scheme', (h: Record<string, string>) => (h.Authorization = h.Authorization.replace(/^vapid /, 'WebPush ')), /scheme must be "vapid"/],
      ['a k= that is not a P-256 point', (h: Record<string, string>) => (h.Authorization = h.Authorization.replace(/k=.*$/, `k=${Buffer.alloc(65, 4).toString('base64url')}`)), /not an uncompressed P-256/],
    ])('answers 401 to %s', async (_name, tamper, reason) => {
      const subscription = service.createSubscription();
      const response = await sendRaw(subscription, JSON.stringify({ a: 1 }), (request) => void tamper(request.headers));
      expect(response.status).toBe(401);
      expect(response.text).toMatch(reason);
    });
  });

  describe('RFC 8030 headers', () => {
    it.each([
      ['no TTL', (h: Record<string, string>) => delete h.TTL, /missing TTL/],
      ['a negative TTL', (h: Record<string, string>) => (h.TTL = '-1'), /TTL must be a non-negative integer/],
      ['a fractional TTL', (h: Record<string, string>) => (h.TTL = '1.5'), /TTL must be a non-negative integer/],
      ['Content-Encoding aesgcm', (h: Record<string, string>) => (h['Content-Encoding'] = 'aesgcm'), /Content-Encoding must be aes128gcm/],
      ['an unknown Urgency', (h: Record<string, string>) => (h.Urgency = 'urgent'), /Urgency must be one of/],
      ['a Topic longer than 32 characters', (h: Record<string, string>) => (h.Topic = 'a'.repeat(33)), /Topic must be/],
    ])('answers 400 to %s', async (_name, tamper, reason) => {
      const subscription = service.createSubscription();
      const response = await sendRaw(subscription, JSON.stringify({ a: 1 }), (request) => void tamper(request.headers));
      expect(response.status).toBe(400);
      expect(response.text).toMatch(reason);
      expect(service.messages.filter((m) => m.subscriptionId === subscription.id)).toHaveLength(0);
    });

    it('records a push without Urgency as urgency undefined, and TTL 0', async () => {
      const subscription = service.createSubscription();
      const response = await sendRaw(subscription, JSON.stringify({ a: 1 }), (request) => {
        delete request.headers.Urgency;
        request.headers.TTL = '0';
      });
      expect(response.status).toBe(201);
      const [message] = await service.waitForMessages((m) => m.subscriptionId === subscription.id);
      expect(message.urgency).toBeUndefined();
      expect(message.ttl).toBe(0);
      expect(message).not.toHaveProperty('topic');
    });
  });

  describe('payload encryption (RFC 8291)', () => {
    it('refuses a payload encrypted to another subscription’s keys', async () => {
      const target = service.createSubscription();
      const other = service.createSubscription();
      const err = await expectRejected(
        webpush.sendNotification({ endpoint: target.endpoint, keys: other.keys }, JSON.stringify({ a: 1 }), options()),
        400,
      );
      expect(err.body).toMatch(/cannot decrypt/);
      expect(service.rejections).toContainEqual({ subscriptionId: target.id, reason: expect.stringMatching(/^400 cannot decrypt/) });
      expect(service.messages.filter((m) => m.subscriptionId === target.id || m.subscriptionId === other.id)).toHaveLength(0);
    });

    it('refuses a body that was corrupted in transit', async () => {
      const subscription = service.createSubscription();
      const response = await sendRaw(subscription, JSON.stringify({ a: 1 }), (request) => {
        request.body[request.body.length - 1] ^= 1;
      });
      expect(response.status).toBe(400);
      expect(response.text).toMatch(/AES-GCM authentication failed/);
    });

    it('refuses a payload that decrypts to something other than JSON', async () => {
      const subscription = service.createSubscription();
      await expectRejected(webpush.sendNotification(subscription, 'not json', options()), 400);
      expect(service.rejections).toContainEqual({ subscriptionId: subscription.id, reason: expect.stringMatching(/not JSON/) });
    });

    it('refuses a push without a payload', async () => {
      const subscription = service.createSubscription();
      await expectRejected(webpush.sendNotification(subscription, null, options()), 400);
    });

    it('answers 413 to a body above 4096 bytes', async () => {
      const subscription = service.createSubscription();
      const response = await sendRaw(subscription, JSON.stringify({ a: 1 }), (request) => {
        request.body = Buffer.concat([request.body, Buffer.alloc(4097)]);
      });
      expect(response.status).toBe(413);
    });
  });

  describe('programmed answers', () => {
    it('answers 404 for a subscription it never issued', async () => {
      const subscription = service.createSubscription();
      const endpoint = `${service.origin}/push/never-issued`;
      await expectRejected(webpush.sendNotification({ ...subscription, endpoint }, JSON.stringify({ a: 1 }), options()), 404);
      expect(service.requestCount('never-issued')).toBe(1);
    });

    it('makes web-push reject with the programmed 410 Gone, and records nothing', async () => {
      const subscription = service.createSubscription();
      service.respondWith(subscription.id, { status: 410 });
      await expectRejected(webpush.sendNotification(subscription, JSON.stringify({ a: 1 }), options()), 410);
      expect(service.messages.filter((m) => m.subscriptionId === subscription.id)).toHaveLength(0);
      expect(service.requestCount(subscription.id)).toBe(1);
    });

    it('answers a programmed 2xx and records the message', async () => {
      const subscription = service.createSubscription();
      service.respondWith(subscription.id, { status: 202 });
      const result = await webpush.sendNotification(subscription, JSON.stringify({ a: 1 }), options());
      expect(result.statusCode).toBe(202);
      expect(service.messages.filter((m) => m.subscriptionId === subscription.id)).toHaveLength(1);
    });

    it("never answers when told to 'hang', so a sender's timeout fires", async () => {
      const subscription = service.createSubscription();
      service.respondWith(subscription.id, 'hang');
      await expect(webpush.sendNotification(subscription, JSON.stringify({ a: 1 }), options({ timeout: 500 }))).rejects.toThrow(/Socket timeout/);
      expect(service.requestCount(subscription.id)).toBe(1);
      expect(service.messages.filter((m) => m.subscriptionId === subscription.id)).toHaveLength(0);
    });

    it('refuses to program a subscription it never issued', () => {
      expect(() => service.respondWith('nope', { status: 410 })).toThrow(/no subscription nope/);
    });
  });
});
