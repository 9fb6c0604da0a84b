import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { basicAuthMatches } from '@assent/domain';
import { MERCHANT_API_CREDENTIALS } from '../common/sandbox-credentials';
import { MerchantApi, MerchantAnswer } from './merchant-api';
import { ACCESS_DENIED, BODY_IS_NOT_JSON, headerHasInvalidValue } from './worldpay-errors';

// Worldpay's versioned media types (seeds 002–003); the answer uses the request's version.
const MEDIA_TYPE = /^application\/vnd\.worldpay\.verifications\.customers-v([12])\.hal\+json\s*(?:;|$)/i;

/** The merchant API: Worldpay Access's 3DS authentication and verification (seeds 002–003). */
export function merchantRoutes(merchant: MerchantApi) {
  return async (app: FastifyInstance) => {
    // Only Worldpay's media types are accepted, parsed as JSON.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser(MEDIA_TYPE, { parseAs: 'string' }, app.getDefaultJsonParser('error', 'error'));

    app.addHook('onRequest', async (request, reply) => {
      if (!basicAuthMatches(request.headers.authorization, MERCHANT_API_CREDENTIALS.username, MERCHANT_API_CREDENTIALS.password)) {
        return reply.code(401).header('www-authenticate', 'Basic realm="merchant-api"').send(ACCESS_DENIED);
      }
    });

    app.setErrorHandler((error: FastifyError, request, reply) => {
      if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
        return reply.code(400).send(headerHasInvalidValue('Content-Type', 'The Content-Type must be application/vnd.worldpay.verifications.customers-v1.hal+json or -v2'));
      }
      if (error.statusCode === 413) return reply.code(413).send({ errorName: 'bodyTooLarge', message: 'The request body is too large' });
      if (error.statusCode && error.statusCode < 500) return reply.code(400).send(BODY_IS_NOT_JSON);
      request.log.error({ err: error }, 'Merchant API failed');
      return reply.code(500).send({ errorName: 'internalErrorOccurred', message: 'Internal error occurred' });
    });
    app.setNotFoundHandler((_request, reply) => reply.code(404).send({ errorName: 'resourceNotFound', message: 'Requested resource was not found' }));

    app.post('/verifications/customers/3ds/authenticate', async (request, reply) => send(reply, request.headers['content-type'], await merchant.authenticate(request.body)));
    app.post('/verifications/customers/3ds/verification', async (request, reply) => send(reply, request.headers['content-type'], await merchant.verification(request.body)));
  };
}

function send(reply: FastifyReply, contentType: string | undefined, answer: MerchantAnswer): FastifyReply {
  const version = MEDIA_TYPE.exec(contentType ?? '')?.[1] ?? '1';
  return reply.code(answer.status).type(`application/vnd.worldpay.verifications.customers-v${version}.hal+json`).send(answer.body);
}
