import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AssentError, ErrorKind, parseOrReject } from '@assent/domain';
import { VirtualCardholders } from '../cardholder/virtual-cardholders';
import { CardFile } from '../cards/card-file';
import { EnfuceId } from '../enfuce-id/enfuce-id';
import { SettingsStore, settingsUpdateSchema } from '../settings/sandbox-settings';
import { PurchaseRunner, purchaseRunSchema } from './purchase-runner';

const sessionParamsSchema = z.object({ sessionId: z.uuid({ error: 'must be a UUID' }) });

/**
 * The sandbox's own controls: run purchases, change the parties' faults, look
 * into Enfuce ID's sessions, and the health probes a test harness waits on.
 */
export function sandboxRoutes(deps: { runner: PurchaseRunner; settings: SettingsStore; enfuce: EnfuceId; cardholders: VirtualCardholders; cards: CardFile }) {
  return async (app: FastifyInstance) => {
    app.get('/health/live', async () => ({ status: 'ok' }));

    // Ready once the virtual cardholders are enrolled with the authenticator: only then can purchases succeed.
    app.get('/health/ready', async (_request, reply) => {
      const problem = deps.cardholders.problem;
      return problem ? reply.code(503).send({ status: 'starting', problem }) : { status: 'ready' };
    });

    app.post('/sandbox/purchases', async (request) => {
      if (!deps.cardholders.ready) throw new AssentError(ErrorKind.Unavailable, 'NOT_READY', `The virtual cardholders are not enrolled yet: ${deps.cardholders.problem}`);
      return deps.runner.run(parseOrReject(purchaseRunSchema, request.body));
    });

    app.get('/sandbox/settings', async () => deps.settings.current);
    app.put('/sandbox/settings', async (request) => deps.settings.update(parseOrReject(settingsUpdateSchema, request.body)));

    app.get('/sandbox/cards', async () => deps.cards.all().map(({ card, customerNumber }) => ({ number: card.number, label: card.label, cardholder: card.holder, customerNumber })));

    app.get('/sandbox/enfuce/sessions/:sessionId', async (request) => {
      const { sessionId } = parseOrReject(sessionParamsSchema, request.params, '$.path');
      const session = deps.enfuce.session(sessionId);
      if (!session) throw new AssentError(ErrorKind.NotFound, 'SESSION_NOT_FOUND', 'Enfuce ID has no such session');
      return session;
    });
  };
}
