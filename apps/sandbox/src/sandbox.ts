import { randomUUID } from 'node:crypto';
import Fastify, { FastifyInstance, LogController } from 'fastify';
import { REDACTED_PATHS, SandboxEnvironment } from '@assent/config';
import { Acs } from './acs/acs';
import { acsRoutes } from './acs/acs.routes';
import { answerErrorsAsErrorResponse, replyNotFound } from './common/error-reply';
import { VirtualCardholders } from './cardholder/virtual-cardholders';
import { CardFile } from './cards/card-file';
import { EnfuceId } from './enfuce-id/enfuce-id';
import { enfuceIdRoutes } from './enfuce-id/enfuce-id.routes';
import { MerchantApi } from './merchant/merchant-api';
import { merchantRoutes } from './merchant/merchant.routes';
import { PurchaseRunner } from './purchases/purchase-runner';
import { sandboxRoutes } from './purchases/sandbox.routes';
import { defaultSettings, SettingsStore } from './settings/sandbox-settings';
import { Checkout } from './shop/checkout';
import { shopRoutes } from './shop/shop.routes';
import { ThreeDsServer } from './three-ds-server/three-ds-server';
import { threeDsServerRoutes } from './three-ds-server/three-ds-server.routes';
import { PurchaseTrace } from './trace/purchase-trace';

// The authenticator's own limit (contract §1); nothing in the sandbox needs more.
const BODY_LIMIT_BYTES = 64 * 1024;

/**
 * Every party of the purchase except the authenticator, on one origin, each under
 * its own path: the demo shop (`/`), the merchant API (`/merchant-api`), the 3-D
 * Secure server (`/3ds-server`), the directory server and ACS (`/directory-server`,
 * `/acs`), Enfuce ID (`/enfuceid/api`) and the virtual cardholders' phones. They
 * call one another over HTTP where their documents define an interface.
 */
export function buildSandbox(env: SandboxEnvironment): { app: FastifyInstance; cardholders: VirtualCardholders; close: () => void } {
  const app = Fastify({
    bodyLimit: BODY_LIMIT_BYTES,
    genReqId: () => randomUUID(),
    // The shop and the scripted shoppers poll; each purchase's steps are logged instead of each request.
    logController: new LogController({ disableRequestLogging: true }),
    logger: { level: env.LOG_LEVEL, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } },
  });
  const log = app.log;
  const trace = new PurchaseTrace((purchase, event) => log.info({ purchase, party: event.party }, event.text));
  const settings = new SettingsStore(defaultSettings(env.SANDBOX_ENFUCE_DEADLINE_SECONDS));
  const cards = new CardFile(env.SANDBOX_DEMO_CUSTOMER_NUMBER);
  const cardholders = new VirtualCardholders(env, cards, settings, trace, log);
  const enfuce = new EnfuceId(env, settings, trace, log);
  const threeDsServer = new ThreeDsServer(env, trace, log);
  const acs = new Acs(env, settings, cards, enfuce, trace, log, {
    deliverRReq: (rreq) => threeDsServer.receiveResult(rreq),
    challengeStarted: (customerNumber) => cardholders.wake(customerNumber),
  });
  const merchant = new MerchantApi(env, trace, log);
  const checkout = new Checkout(env, trace);
  const runner = new PurchaseRunner(env, checkout, enfuce, settings, trace);

  // Enfuce's errorResponse for every error, except where a party's own document says otherwise (merchant API, 3-D Secure server).
  answerErrorsAsErrorResponse(app);
  app.setNotFoundHandler(replyNotFound);
  void app.register(shopRoutes(env, checkout, trace));
  void app.register(merchantRoutes(merchant), { prefix: '/merchant-api' });
  void app.register(threeDsServerRoutes(threeDsServer), { prefix: '/3ds-server' });
  void app.register(acsRoutes(acs, env));
  void app.register(enfuceIdRoutes(enfuce), { prefix: '/enfuceid/api' });
  void app.register(sandboxRoutes({ runner, settings, enfuce, cardholders, cards }));

  return {
    app,
    cardholders,
    close: () => {
      cardholders.stop();
      enfuce.close();
    },
  };
}
