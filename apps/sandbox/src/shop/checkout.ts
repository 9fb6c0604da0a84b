import { randomBytes } from 'node:crypto';
import type { SandboxEnvironment } from '@assent/config';
import { TEST_CARD_EXPIRY } from '../cards/test-cards';
import { basicAuthorization, callHttp, HttpAnswer } from '../common/http-client';
import { MERCHANT_API_CREDENTIALS } from '../common/sandbox-credentials';
import type { AuthenticationAnswer } from '../merchant/merchant-api';
import type { WorldpayError } from '../merchant/worldpay-errors';
import { PurchaseTrace } from '../trace/purchase-trace';
import { CatalogItem } from './catalog';

export interface Order {
  transactionReference: string;
  item: CatalogItem;
  cardNumber: string;
}

/** The shopper's browser, as the merchant API's deviceData wants it. */
export interface Shopper {
  acceptHeader: string;
  userAgentHeader: string;
  browserLanguage?: string;
}

const MEDIA_TYPE = (version: 1 | 2) => `application/vnd.worldpay.verifications.customers-v${version}.hal+json`;
const MERCHANT_ENTITY = 'default';

/**
 * The shop's server side of a card payment: it calls the merchant API (seeds
 * 002–003) over HTTP, as a shop integrating with Worldpay would. The demo page
 * and the scripted purchases both pay through it.
 */
export class Checkout {
  constructor(
    private readonly env: SandboxEnvironment,
    private readonly trace: PurchaseTrace,
  ) {}

  newOrder(item: CatalogItem, cardNumber: string): Order {
    return { transactionReference: `order-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`, item, cardNumber };
  }

  authenticate(order: Order, shopper: Shopper): Promise<HttpAnswer<AuthenticationAnswer | WorldpayError>> {
    this.trace.record(order.transactionReference, 'shop', `Pay ${order.item.name} with card …${order.cardNumber.slice(-4)}`);
    return this.callMerchant('authenticate', 1, {
      transactionReference: order.transactionReference,
      merchant: { entity: MERCHANT_ENTITY },
      instruction: {
        value: { amount: order.item.amount, currency: order.item.currency },
        paymentInstrument: { type: 'card/front', cardHolderName: 'Sandbox Shopper', cardNumber: order.cardNumber, expiryDate: TEST_CARD_EXPIRY },
      },
      deviceData: shopper,
      challenge: { returnUrl: `${this.env.SANDBOX_PUBLIC_URL}/shop/challenge-return`, windowSize: '390x400', preference: 'challengeRequested' },
    });
  }

  verify(order: Order, challengeReference: string): Promise<HttpAnswer<AuthenticationAnswer | WorldpayError>> {
    return this.callMerchant('verification', 2, {
      transactionReference: order.transactionReference,
      merchant: { entity: MERCHANT_ENTITY },
      challenge: { reference: challengeReference },
    });
  }

  private callMerchant(operation: 'authenticate' | 'verification', version: 1 | 2, body: object) {
    return callHttp<AuthenticationAnswer | WorldpayError>(`${this.env.SANDBOX_PUBLIC_URL}/merchant-api/verifications/customers/3ds/${operation}`, {
      headers: {
        authorization: basicAuthorization(MERCHANT_API_CREDENTIALS.username, MERCHANT_API_CREDENTIALS.password),
        'content-type': MEDIA_TYPE(version),
        accept: MEDIA_TYPE(version),
      },
      body: JSON.stringify(body),
      timeoutMs: this.env.SANDBOX_DS_TIMEOUT_MS + 10_000,
    });
  }
}
