import type { OpenAPIObject } from '@nestjs/swagger';

/**
 * The API's OpenAPI document, written by hand: requests are validated with zod
 * (not class-validator DTOs), so there are no decorators to generate it from. The
 * errorResponse and callback schemas are Enfuce's own (seed 000); the docs spec
 * checks them against that document.
 */
const errorResponse = {
  type: 'object',
  required: ['code', 'message', 'id', 'errorCode', 'errorType', 'errorReason', 'timestamp'],
  properties: {
    code: { type: 'string', description: 'An error code indicating what kind of error. I.e. HTTP error code' },
    message: { type: 'string', description: 'Error message in human-readable format' },
    id: { type: 'string', format: 'uuid', description: 'Unique error identifier (also in the log line of the request)' },
    errorCode: { type: 'string', description: 'Enfuce code for a specific error type' },
    errorType: { type: 'string', enum: ['STATIC_VALIDATION_ERROR', 'DYNAMIC_VALIDATION_ERROR', 'INTEGRATION_ERROR', 'SECURITY_ERROR', 'UNEXPECTED_ERROR'], description: 'Error type' },
    errorReason: { type: 'string', description: 'Free-form text explaining the error reason; a JSON path for a validation error' },
    timestamp: { type: 'string', format: 'date-time', description: 'Datetime when error occurred' },
  },
};

const error = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/errorResponse' } } } });
const json = (description: string, schema: object) => ({ description, content: { 'application/json': { schema } } });
const body = (schema: object) => ({ required: true, content: { 'application/json': { schema } } });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const sessionIdParameter = { name: 'sessionId', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };
const deviceAuth = [{ deviceToken: [] }];
const tooMany = error('Too many requests; the Retry-After header says when to try again');

export function openApiDocument(publicBaseUrl: string): OpenAPIObject {
  return {
    openapi: '3.0.3',
    info: {
      title: 'Assent',
      version: '1',
      description: 'Out-of-band 3-D Secure authenticator for Enfuce ID: the webhook Enfuce calls, the issuer API and the device API. Every error answers errorResponse.',
    },
    servers: [{ url: publicBaseUrl }],
    components: {
      securitySchemes: {
        enfuceBasic: { type: 'http', scheme: 'basic', description: 'ENFUCE_WEBHOOK_USERNAME / ENFUCE_WEBHOOK_PASSWORD (RFC 7617)' },
        issuerBasic: { type: 'http', scheme: 'basic', description: 'ISSUER_API_USERNAME / ISSUER_API_PASSWORD (RFC 7617)' },
        deviceToken: { type: 'http', scheme: 'bearer', description: 'The deviceToken answered at registration' },
      },
      schemas: {
        errorResponse,
        callbackBody: {
          type: 'object',
          required: ['result'],
          properties: { result: { type: 'string', enum: ['SUCCESS', 'FAIL', 'ERROR', 'TIMEOUT'], description: 'Result status of authentication attempt (what Assent posts to callbackUrl)' } },
        },
        webhookRequest: {
          type: 'object',
          required: ['callbackUrl', 'transaction', 'merchant'],
          properties: {
            callbackUrl: { type: 'string', format: 'uri', description: 'Under ENFUCE_CALLBACK_BASE_URL, ending /{institutionCode}/{customerNumber}/{sessionId}' },
            transaction: {
              type: 'object',
              required: ['amount'],
              properties: {
                type: { type: 'string', example: 'PAYMENT' },
                cardId: { type: 'string' },
                cardNumber: { type: 'string', description: 'Masked card number', example: '342170______9554' },
                timestamp: { type: 'string', format: 'date-time' },
                amount: { type: 'object', required: ['amount', 'currency'], properties: { amount: { type: 'number' }, currency: { type: 'string', example: 'EUR' } } },
              },
            },
            merchant: {
              type: 'object',
              required: ['name'],
              properties: { name: { type: 'string' }, description: { type: 'string' }, country: { type: 'string' }, url: { type: 'string' } },
            },
          },
        },
      },
    },
    paths: {
      '/v1/authenticate/{customerNumber}/{sessionId}': {
        post: {
          tags: ['Enfuce ID'],
          summary: 'Enfuce ID asks for an out-of-band authentication; answered as soon as it is stored and the push is queued',
          security: [{ enfuceBasic: [] }],
          parameters: [{ name: 'customerNumber', in: 'path', required: true, schema: { type: 'string' } }, sessionIdParameter],
          requestBody: body(ref('webhookRequest')),
          responses: {
            '200': { description: 'Stored; the result follows on callbackUrl as callbackBody' },
            '400': error('Malformed JSON, a missing field, a non-UUID sessionId, or a callbackUrl outside the allowed base'),
            '401': error('Wrong or missing credentials'),
            '404': error('Unknown customerNumber or no active device'),
            '409': error('The same sessionId with a different body'),
            '413': error('Body over 64 KiB'),
            '503': error('Redis unreachable'),
          },
        },
      },
      '/api/v1/enrollments': {
        post: {
          tags: ['Issuer'],
          summary: 'Creates an activation code for a cardholder',
          security: [{ issuerBasic: [] }],
          requestBody: body({ type: 'object', required: ['customerNumber'], properties: { customerNumber: { type: 'string' }, displayName: { type: 'string' } } }),
          responses: {
            '201': json('Created', { type: 'object', properties: { activationCode: { type: 'string' }, activationUrl: { type: 'string', format: 'uri' }, expiresAt: { type: 'string', format: 'date-time' } } }),
            '400': error('Invalid body'),
            '401': error('Wrong or missing credentials'),
            '429': tooMany,
          },
        },
      },
      '/api/v1/push/vapid-public-key': {
        get: { tags: ['Device'], summary: 'The VAPID public key for pushManager.subscribe', responses: { '200': json('The key', { type: 'object', properties: { publicKey: { type: 'string' } } }) } },
      },
      '/api/v1/devices/registration-options': {
        post: {
          tags: ['Device'],
          summary: 'WebAuthn creation options for an activation code',
          requestBody: body({ type: 'object', required: ['activationCode'], properties: { activationCode: { type: 'string' } } }),
          responses: { '200': json('PublicKeyCredentialCreationOptionsJSON', { type: 'object' }), '400': error('Unknown, used or expired activation code'), '429': tooMany },
        },
      },
      '/api/v1/devices': {
        post: {
          tags: ['Device'],
          summary: 'Registers a device with its passkey (and optionally a push subscription)',
          requestBody: body({
            type: 'object',
            required: ['activationCode', 'credential'],
            properties: {
              activationCode: { type: 'string' },
              credential: { type: 'object', description: 'RegistrationResponseJSON' },
              pushSubscription: { type: 'object', properties: { endpoint: { type: 'string', format: 'uri' }, keys: { type: 'object', properties: { p256dh: { type: 'string' }, auth: { type: 'string' } } } } },
              name: { type: 'string' },
            },
          }),
          responses: {
            '201': json('Registered', { type: 'object', properties: { deviceId: { type: 'string', format: 'uuid' }, deviceToken: { type: 'string' } } }),
            '400': error('Invalid body, activation code or push endpoint'),
            '403': error('The passkey was refused'),
            '409': error('Device limit reached'),
            '429': tooMany,
          },
        },
      },
      '/api/v1/device/push-subscription': {
        put: {
          tags: ['Device'],
          security: deviceAuth,
          requestBody: body({ type: 'object', required: ['pushSubscription'], properties: { pushSubscription: { type: 'object' } } }),
          responses: { '204': { description: 'Stored' }, '400': error('Invalid subscription'), '401': error('Missing, unknown or revoked device token') },
        },
      },
      '/api/v1/device/challenges': {
        get: { tags: ['Device'], security: deviceAuth, summary: 'Pending challenges of this cardholder', responses: { '200': json('Pending challenges', { type: 'array', items: { type: 'object' } }), '401': error('Missing, unknown or revoked device token') } },
      },
      '/api/v1/device/challenges/{sessionId}/assertion-options': {
        post: {
          tags: ['Device'],
          security: deviceAuth,
          parameters: [sessionIdParameter],
          responses: { '200': json('PublicKeyCredentialRequestOptionsJSON bound to the transaction', { type: 'object' }), '401': error('Missing, unknown or revoked device token'), '404': error('Not this cardholder’s session'), '409': error('Already decided or timed out') },
        },
      },
      '/api/v1/device/challenges/{sessionId}/decision': {
        post: {
          tags: ['Device'],
          security: deviceAuth,
          parameters: [sessionIdParameter],
          requestBody: body({
            oneOf: [
              { type: 'object', required: ['decision', 'credential'], properties: { decision: { type: 'string', enum: ['approve'] }, credential: { type: 'object', description: 'AuthenticationResponseJSON' } } },
              { type: 'object', required: ['decision'], properties: { decision: { type: 'string', enum: ['decline'] }, reason: { type: 'string', enum: ['not_me', 'other'] } } },
            ],
          }),
          responses: {
            '200': json('Decided', { type: 'object', properties: { result: { type: 'string', enum: ['SUCCESS', 'FAIL'] } } }),
            '401': error('Missing, unknown or revoked device token'),
            '403': error('The assertion failed verification, is for another transaction, or comes from another device'),
            '404': error('Not this cardholder’s session'),
            '409': error('Already decided or timed out'),
            '429': error('Too many decisions, or the device is locked out after failed assertions (Retry-After)'),
          },
        },
      },
    },
  } as unknown as OpenAPIObject;
}
