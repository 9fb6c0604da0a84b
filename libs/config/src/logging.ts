import { randomUUID } from 'node:crypto';
import type { Params } from 'nestjs-pino';
import type { Environment } from './environment';

/**
 * Paths pino blanks in every log line: credentials, device tokens, push keys and
 * card data never reach the log, whatever a developer passes to it.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.password',
  '*.deviceToken',
  '*.activationCode',
  '*.cardNumber',
  '*.pushSubscription',
  '*.privateKey',
];

/** Structured JSON logs, one line per request, with the request's UUID that error answers repeat. */
export function loggerParams(env: Environment): Params {
  return {
    pinoHttp: {
      level: env.LOG_LEVEL,
      // Fastify has already given the request a UUID (main.ts); the worker has no requests.
      genReqId: (req) => (req as { id?: string }).id ?? randomUUID(),
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      // Health probes every few seconds would drown the useful lines.
      autoLogging: { ignore: (req) => (req.url ?? '').startsWith('/health') },
      customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }),
      },
    },
  };
}
