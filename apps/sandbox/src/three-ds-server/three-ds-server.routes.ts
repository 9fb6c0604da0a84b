import type { FastifyError, FastifyInstance } from 'fastify';
import { ERROR_CODES, erro } from './messages';
import { ThreeDsServer } from './three-ds-server';

/** The 3-D Secure server's API (seed 001): JSON in, an ARes / RReq or an `Erro` message out. */
export function threeDsServerRoutes(server: ThreeDsServer) {
  return async (app: FastifyInstance) => {
    // "JSON is returned even if the HTTP status code is not 200, in all but the rarest cases."
    app.setErrorHandler((error: FastifyError, request, reply) => {
      if (error.statusCode === undefined || error.statusCode >= 500) request.log.error({ err: error }, '3-D Secure server failed');
      const status = error.statusCode === 413 ? 413 : error.statusCode && error.statusCode < 500 ? 400 : 500;
      return reply.code(status).send(erro(ERROR_CODES.messageReceivedInvalid, status === 413 ? 'The message is too large' : 'The message is not valid JSON'));
    });
    app.setNotFoundHandler((_request, reply) => reply.code(404).send(erro(ERROR_CODES.accessDenied, 'No such endpoint')));

    app.post('/auth', async (request, reply) => {
      const answer = await server.auth(apiKeyOf(request.headers.apikey), request.body);
      return reply.code(answer.status).send(answer.body);
    });

    app.post('/postauth', async (request, reply) => {
      const answer = await server.postauth(apiKeyOf(request.headers.apikey), request.body);
      return reply.code(answer.status).send(answer.body);
    });
  };
}

function apiKeyOf(header: string | string[] | undefined): string | undefined {
  return Array.isArray(header) ? header[0] : header;
}
