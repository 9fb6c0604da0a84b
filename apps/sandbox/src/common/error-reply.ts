import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AssentError, ErrorKind, errorResponseOf } from '@assent/domain';

/** Answers with Enfuce's errorResponse (seed 000), whose id is the request's log id. */
export function replyWithError(request: FastifyRequest, reply: FastifyReply, error: AssentError): FastifyReply {
  const { status, body } = errorResponseOf(error, String(request.id));
  if (status === 401) reply.header('www-authenticate', 'Basic realm="sandbox", charset="UTF-8"');
  if (status >= 500) request.log.error({ errorId: body.id, errorCode: body.errorCode }, body.message);
  return reply.code(status).header('cache-control', 'no-store').send(body);
}

/**
 * The errorResponse shape for every error of a group of routes: the ones they
 * throw and Fastify's own (malformed JSON, a body over the limit).
 */
export function answerErrorsAsErrorResponse(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (!(error instanceof AssentError)) request.log.error({ err: error }, 'Request failed');
    return replyWithError(request, reply, toAssentError(error));
  });
}

function toAssentError(error: FastifyError): AssentError {
  if (error instanceof AssentError) return error;
  if (error.statusCode === 413) return new AssentError(ErrorKind.PayloadTooLarge, 'BODY_TOO_LARGE', 'The request body is too large');
  if (error.code?.startsWith('FST_ERR_CTP_') || error.statusCode === 400) return AssentError.validation('$', 'The request body must be valid JSON');
  return new AssentError(ErrorKind.Internal, 'INTERNAL_ERROR', 'An unexpected error occurred; quote the id when reporting it');
}

/** An unknown path, as errorResponse. */
export function replyNotFound(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return replyWithError(request, reply, new AssentError(ErrorKind.NotFound, 'ROUTE_NOT_FOUND', 'No such endpoint'));
}
