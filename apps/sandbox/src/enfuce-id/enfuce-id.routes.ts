import type { FastifyInstance } from 'fastify';
import { replyWithError } from '../common/error-reply';
import { EnfuceId } from './enfuce-id';

interface CallbackParams {
  institutionCode: string;
  customerNumber: string;
  sessionId: string;
}

/** Enfuce ID's API, under the base path of its real servers (`…/enfuceid/api`, seed 000). */
export function enfuceIdRoutes(enfuce: EnfuceId) {
  return async (app: FastifyInstance) => {
    app.post<{ Params: CallbackParams }>('/v1/callback/:institutionCode/:customerNumber/:sessionId', async (request, reply) => {
      const answer = await enfuce.receiveCallback(request.params, request.headers.authorization, request.body);
      if (answer === 'drop') {
        request.raw.socket.destroy();
        return reply.hijack();
      }
      if (answer.error) return replyWithError(request, reply, answer.error);
      return reply.code(answer.status).send();
    });
  };
}
