import formbody from '@fastify/formbody';
import type { FastifyInstance } from 'fastify';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { SandboxEnvironment } from '@assent/config';
import { AssentError, ErrorKind, maskCardNumber, parseOrReject } from '@assent/domain';
import { TEST_CARDS } from '../cards/test-cards';
import { BoundedMap, KEPT_PER_PARTY } from '../common/bounded-map';
import { describeFailure } from '../common/http-client';
import { jsonForScript } from '../common/html';
import type { AuthenticationAnswer } from '../merchant/merchant-api';
import { PurchaseTrace } from '../trace/purchase-trace';
import { CATALOG, catalogItem } from './catalog';
import { Checkout, Order } from './checkout';

const orderRequestSchema = z.strictObject({
  itemId: z.string().max(40).refine((id) => catalogItem(id) !== undefined, 'is not in the catalog'),
  cardNumber: z.string().max(30).refine((number) => TEST_CARDS.some((card) => card.number === number.replace(/[\s-]/g, '')), 'is not a sandbox test card'),
});

const orderParamsSchema = z.object({ orderId: z.string().regex(/^order-[a-z0-9]+-[a-f0-9]{8}$/, 'is not an order id') });

interface ShopOrder {
  order: Order;
  challengeReference?: string;
}

// Keepalive comments stop proxies and browsers from closing an idle event stream.
const KEEPALIVE_MS = 15_000;

/**
 * The demo shop: its page, and the shop's own small API behind it. Paying goes
 * through the merchant API like any shop's would; the page shows the ACS's
 * challenge window in an iframe and the purchase's timeline as it happens.
 */
export function shopRoutes(env: SandboxEnvironment, checkout: Checkout, trace: PurchaseTrace) {
  const orders = new BoundedMap<string, ShopOrder>(KEPT_PER_PARTY);
  const assets = loadAssets();

  return async (app: FastifyInstance) => {
    await app.register(formbody, { bodyLimit: 16 * 1024 });

    app.get('/', async (_request, reply) => reply.type('text/html; charset=utf-8').send(assets.page));
    app.get('/shop/assets/shop.js', async (_request, reply) => reply.type('text/javascript; charset=utf-8').send(assets.script));
    app.get('/shop/assets/shop.css', async (_request, reply) => reply.type('text/css; charset=utf-8').send(assets.styles));

    app.get('/shop/api/catalog', async () => ({
      items: CATALOG,
      cards: TEST_CARDS.map((card) => ({ number: card.number, masked: maskCardNumber(card.number), label: card.label, cardholder: card.holder.kind })),
      links: { cardholderApp: `${env.SANDBOX_AUTHENTICATOR_URL}/app/`, dashboard: `${env.SANDBOX_AUTHENTICATOR_URL}/admin` },
    }));

    app.post('/shop/api/orders', async (request, reply) => {
      const { itemId, cardNumber } = parseOrReject(orderRequestSchema, request.body);
      const order = checkout.newOrder(catalogItem(itemId)!, cardNumber.replace(/[\s-]/g, ''));
      const shopOrder: ShopOrder = { order };
      orders.set(order.transactionReference, shopOrder);

      const answer = await checkout.authenticate(order, {
        acceptHeader: request.headers.accept ?? 'text/html',
        userAgentHeader: request.headers['user-agent'] ?? 'unknown',
        browserLanguage: request.headers['accept-language']?.split(',')[0]?.trim().slice(0, 8) || undefined,
      });
      if (!answer.ok) throw merchantFailed(describeFailure(answer));
      const authentication = answer.body as AuthenticationAnswer;
      shopOrder.challengeReference = authentication.challenge?.reference;
      return reply.code(201).send({
        orderId: order.transactionReference,
        outcome: authentication.outcome,
        authentication: authentication.authentication,
        // The challenge reference stays with the shop; the browser needs only the window to open.
        challenge: authentication.challenge && { url: authentication.challenge.url, creq: authentication.challenge.payload },
      });
    });

    app.post('/shop/api/orders/:orderId/verification', async (request) => {
      const shopOrder = orderOf(request.params);
      if (!shopOrder.challengeReference) throw new AssentError(ErrorKind.Conflict, 'NOT_CHALLENGED', 'This order had no challenge to verify');
      const answer = await checkout.verify(shopOrder.order, shopOrder.challengeReference);
      if (!answer.ok) throw merchantFailed(describeFailure(answer));
      const verification = answer.body as AuthenticationAnswer;
      return { orderId: shopOrder.order.transactionReference, outcome: verification.outcome, authentication: verification.authentication };
    });

    // Server-Sent Events: the purchase's timeline so far, then each step as it happens.
    app.get('/shop/api/orders/:orderId/events', async (request, reply) => {
      const { order } = orderOf(request.params);
      reply.hijack();
      const stream = reply.raw;
      stream.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
      const send = (event: unknown) => stream.write(`data: ${JSON.stringify(event)}\n\n`);
      trace.events(order.transactionReference).forEach(send);
      const unsubscribe = trace.subscribe(order.transactionReference, send);
      const keepalive = setInterval(() => stream.write(': keepalive\n\n'), KEEPALIVE_MS);
      request.raw.on('close', () => {
        clearInterval(keepalive);
        unsubscribe();
      });
    });

    // The notificationURL: the ACS's challenge window posts the CRes here, inside the shop's iframe.
    app.post<{ Body: { cres?: unknown } }>('/shop/challenge-return', async (request, reply) => {
      const cres = typeof request.body?.cres === 'string' ? request.body.cres : '';
      let transStatus: string | undefined;
      try {
        transStatus = JSON.parse(Buffer.from(cres, 'base64url').toString('utf8')).transStatus;
      } catch {
        transStatus = undefined;
      }
      return reply
        .type('text/html; charset=utf-8')
        .send(
          `<!doctype html><title>Returning to the shop</title><script type="application/json" id="cres">${jsonForScript({ transStatus })}</script>` +
            `<script>parent.postMessage({ type: 'sandbox-challenge-complete', transStatus: JSON.parse(document.getElementById('cres').textContent).transStatus }, location.origin);</script>`,
        );
    });
  };

  function orderOf(params: unknown): ShopOrder {
    const { orderId } = parseOrReject(orderParamsSchema, params, '$.path');
    const shopOrder = orders.get(orderId);
    if (!shopOrder) throw new AssentError(ErrorKind.NotFound, 'ORDER_NOT_FOUND', 'No such order');
    return shopOrder;
  }
}

function merchantFailed(what: string): AssentError {
  return new AssentError(ErrorKind.Unavailable, 'MERCHANT_API_FAILED', `The payment could not be authenticated: the merchant API answered ${what}`);
}

/** The page's files, from apps/sandbox/public (read once; the sandbox runs from the source tree or dist/). */
function loadAssets(): { page: string; script: string; styles: string } {
  const candidates = [join(__dirname, '..', '..', 'public'), join(__dirname, '..', '..', '..', '..', '..', 'apps', 'sandbox', 'public')];
  const dir = candidates.find((candidate) => existsSync(join(candidate, 'index.html')));
  if (!dir) throw new Error(`The shop page's files are missing (looked in ${candidates.join(', ')})`);
  const read = (name: string) => readFileSync(join(dir, name), 'utf8');
  return { page: read('index.html'), script: read('shop.js'), styles: read('shop.css') };
}
