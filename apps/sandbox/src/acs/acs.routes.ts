import formbody from '@fastify/formbody';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { SandboxEnvironment } from '@assent/config';
import { escapeHtml } from '../common/html';
import { areqErro, areqSchema } from '../three-ds-server/messages';
import { Acs, ChallengeError } from './acs';
import { challengePage } from './challenge-page';

// What reaches the directory server: the 3-D Secure server has added its transaction id.
const dsAreqSchema = areqSchema.extend({ threeDSServerTransID: z.uuid() });

/**
 * The directory server's AReq endpoint (the 3-D Secure server calls it over HTTP)
 * and the ACS's challenge window for the shopper's browser.
 */
export function acsRoutes(acs: Acs, env: SandboxEnvironment) {
  return async (app: FastifyInstance) => {
    await app.register(formbody, { bodyLimit: 16 * 1024 });

    app.post('/directory-server/areq', async (request, reply) => {
      const parsed = dsAreqSchema.safeParse(request.body);
      if (!parsed.success) return reply.code(400).send({ ...areqErro(request.body, parsed.error.issues), errorComponent: 'D' });
      return acs.authenticationRequest(parsed.data);
    });

    // EMV 3DS browser flow: the challenge window is opened with a form post of the base64url CReq.
    app.post<{ Body: { creq?: unknown } }>('/acs/challenge', async (request, reply) => {
      reply.type('text/html; charset=utf-8').header('cache-control', 'no-store');
      try {
        const status = await acs.openChallenge(acs.parseCReq(request.body?.creq));
        return challengePage(status, status.cardholder === 'demo' ? `${env.SANDBOX_AUTHENTICATOR_URL}/app/` : undefined);
      } catch (error) {
        if (!(error instanceof ChallengeError)) throw error;
        return reply.code(400).send(`<!doctype html><title>Sandbox Bank</title><p>${escapeHtml(error.message)}</p>`);
      }
    });

    app.get<{ Params: { acsTransID: string } }>('/acs/challenges/:acsTransID', async (request, reply) => {
      const status = acs.status(request.params.acsTransID);
      if (!status) return reply.code(404).send({ message: 'No such challenge at this ACS' });
      return reply.header('cache-control', 'no-store').send(status);
    });
  };
}
