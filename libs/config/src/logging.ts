import { randomUUID } from 'node:crypto';
import type { Params } from 'nestjs-pino';
import type { Options as PinoHttpOptions } from 'pino-http';
import type { Environment } from './environment';

/**
 * Paths pino blanks in every log line: credentials, device tokens, push keys and
 * card data never reach the log, whatever a developer passes to it.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.authorization',
  '*.password',
  '*.deviceToken',
  '*.activationCode',
  '*.cardNumber',
  '*.pushSubscription',
  '*.keys',
  '*.privateKey',
];

// The configured secrets, whose values are blanked wherever they appear in a line.
const SECRET_VARIABLES = [
  'ENFUCE_WEBHOOK_PASSWORD',
  'ENFUCE_CALLBACK_PASSWORD',
  'ISSUER_API_PASSWORD',
  'VAPID_PRIVATE_KEY',
  'APPROVAL_TOKEN_SECRET',
  'METRICS_TOKEN',
  'ENFUCE_WEBHOOK_PREVIOUS_PASSWORD',
  'ISSUER_API_PREVIOUS_PASSWORD',
  // A hosted collector's API key travels in these.
  'OTEL_EXPORTER_OTLP_HEADERS',
  'OTEL_EXPORTER_OTLP_TRACES_HEADERS',
  'REDIS_PASSWORD',
  'REDIS_SENTINEL_PASSWORD',
] as const;

// Device tokens (dt_), activation codes (ac_), dashboard sessions (as_) and approval
// tokens (apt_) are recognisable by their prefix wherever they land: a URL's query, an error's message.
const BEARER_SECRET = /\b(dt|ac|as|apt)_[A-Za-z0-9_-]{20,}/g;
// 14 to 19 digits, optionally grouped by spaces or dashes: a card number when Luhn
// agrees. (13-digit numbers are left alone: they are mostly epoch milliseconds.) The
// run must stand alone, not inside a word or a UUID: "…-ab64-790459973342" holds 14
// digits that Luhn accepts one time in ten, and masking them broke the sessionId.
const DIGIT_RUN = /(?<![\w.-])\d(?:[ -]?\d){13,18}(?![\w.-])/g;

/**
 * The last line of defence, run on each serialized line before it is written: the
 * redaction paths only cover fields they name, but an error's message or stack, a
 * URL or a third party's error object can carry a secret anywhere. One regex pass
 * and a few substring checks per line keep it cheap enough for the webhook.
 */
export function scrubSecrets(line: string, secrets: readonly string[] = []): string {
  let scrubbed = line.replace(BEARER_SECRET, '$1_[redacted]').replace(DIGIT_RUN, maskIfCardNumber);
  for (const secret of secrets) {
    if (scrubbed.includes(secret)) scrubbed = scrubbed.split(secret).join('[redacted]');
  }
  return scrubbed;
}

/** The configured secrets as they would appear inside a JSON string. */
export function configuredSecrets(env: Partial<Record<string, unknown>>): string[] {
  return SECRET_VARIABLES.map((name) => env[name])
    .filter((value): value is string => typeof value === 'string' && value.length >= 4)
    .map((value) => JSON.stringify(value).slice(1, -1));
}

function maskIfCardNumber(run: string): string {
  const digits = run.replace(/[ -]/g, '');
  return passesLuhn(digits) ? `${digits.slice(0, 6)}${'_'.repeat(digits.length - 10)}${digits.slice(-4)}` : run;
}

function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
    sum += digit;
  }
  return sum % 10 === 0;
}

/**
 * An error's type, message, stack and code only: third-party errors carry their
 * request's headers, body or SQL parameters as properties, which are not for the log.
 */
function serializeError(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const { code, statusCode } = error as { code?: unknown; statusCode?: unknown };
  return { type: error.name, message: error.message, stack: error.stack, code, statusCode };
}

/** Structured JSON logs, one line per request, with the request's UUID that error answers repeat. */
export function loggerOptions(env: Environment): PinoHttpOptions {
  const secrets = configuredSecrets(env);
  return {
    level: env.LOG_LEVEL,
    // Fastify has already given the request a UUID (main.ts); the worker has no requests.
    genReqId: (req) => (req as { id?: string }).id ?? randomUUID(),
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    hooks: { streamWrite: (line) => scrubSecrets(line, secrets) },
    // Health probes every few seconds would drown the useful lines; so would scrapes.
    autoLogging: { ignore: (req) => (req.url ?? '').startsWith('/health') || req.url === '/metrics' },
    customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
    serializers: {
      req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }),
      err: serializeError,
    },
  };
}

export function loggerParams(env: Environment): Params {
  // Written synchronously, one write a line. An asynchronous destination saves the
  // webhook about an eighth of its CPU, but a killed process loses whatever it still
  // buffers: the very lines that explain a crash.
  return { pinoHttp: loggerOptions(env) };
}
