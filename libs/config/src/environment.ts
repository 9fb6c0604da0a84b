import { z } from 'zod';

// The public push services of Google, Mozilla, Apple and Microsoft (contract §4).
// A leading "*." matches any subdomain.
export const DEFAULT_PUSH_ALLOWED_HOSTS =
  'fcm.googleapis.com,updates.push.services.mozilla.com,*.push.apple.com,*.notify.windows.com';

const commaList = z
  .string()
  .transform((value) => value.split(',').map((item) => item.trim()).filter(Boolean))
  .pipe(z.array(z.string()).min(1, 'must list at least one value'));

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

const secret = z.string().min(1, 'must be set');

const otlpProtocol = z.enum(['http/protobuf', 'http/json', 'grpc']);
// W3C Baggage style, as the OpenTelemetry SDK reads them: key=value pairs separated by commas.
const otlpHeaders = z.string().regex(/^\s*[^\s=,]+\s*=[^,]*(,\s*[^\s=,]+\s*=[^,]*)*$/, 'must be key=value pairs separated by commas');

/**
 * OpenTelemetry tracing (docs/operations.md, "Tracing"): off unless an OTLP endpoint is
 * set. These are the standard variables, which the SDK reads itself; they are checked
 * here too so that a mistyped value stops the process with the variable's name instead
 * of silently exporting nothing, and the sampler is built from them (libs/telemetry).
 */
const tracingSchema = z.object({
  OTEL_EXPORTER_OTLP_ENDPOINT: httpUrl.optional(),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: httpUrl.optional(),
  OTEL_EXPORTER_OTLP_PROTOCOL: otlpProtocol.optional(),
  OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: otlpProtocol.optional(),
  OTEL_EXPORTER_OTLP_HEADERS: otlpHeaders.optional(),
  OTEL_EXPORTER_OTLP_TRACES_HEADERS: otlpHeaders.optional(),
  OTEL_SERVICE_NAME: z.string().min(1).optional(),
  OTEL_TRACES_SAMPLER: z
    .enum(['always_on', 'always_off', 'traceidratio', 'parentbased_always_on', 'parentbased_always_off', 'parentbased_traceidratio'])
    .default('parentbased_always_on'),
  OTEL_TRACES_SAMPLER_ARG: z.coerce.number().min(0).max(1).default(1),
  OTEL_SDK_DISABLED: z.enum(['true', 'false']).default('false'),
});

export type TracingEnvironment = z.infer<typeof tracingSchema>;

export interface RedisAddress {
  host: string;
  port: number;
}

const REDIS_ADDRESS = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9._-]+)):(\d{1,5})$/;

function parseRedisAddress(item: string): RedisAddress | undefined {
  const match = REDIS_ADDRESS.exec(item);
  const port = Number(match?.[3]);
  return match && port >= 1 && port <= 65535 ? { host: match[1] ?? match[2], port } : undefined;
}

/** Comma-separated host:port pairs (IPv6 in brackets): where a client starts looking for Sentinels or Cluster nodes. */
const redisAddresses = z.string().transform((value, context) => {
  const items = value.split(',').map((item) => item.trim()).filter(Boolean);
  const addresses = items.map(parseRedisAddress);
  const wrong = items.find((_item, index) => !addresses[index]);
  if (!items.length || wrong !== undefined) {
    context.addIssue({ code: 'custom', message: `must be comma-separated host:port pairs${wrong === undefined ? '' : ` ("${wrong}" is not one)`}` });
    return z.NEVER;
  }
  return addresses as RedisAddress[];
});

// Redis is one of three deployments (docs/operations.md, "Redis high availability"):
// a single Redis at REDIS_URL, a primary with replicas watched by Sentinel, or a Cluster.
const redisShape = {
  REDIS_URL: z.url({ protocol: /^rediss?$/, error: 'must be a redis:// URL' }).optional(),
  REDIS_SENTINELS: redisAddresses.optional(),
  REDIS_SENTINEL_MASTER_NAME: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'letters, digits, ., _ and - only').optional(),
  REDIS_SENTINEL_PASSWORD: secret.optional(),
  REDIS_CLUSTER_NODES: redisAddresses.optional(),
  // The data nodes' password with Sentinel or Cluster; a single Redis takes it in REDIS_URL.
  REDIS_PASSWORD: secret.optional(),
  // Lets several deployments (or test runs) share one Redis without touching each other's keys.
  REDIS_KEY_PREFIX: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'letters, digits, _ and - only').default('assent'),
};

const environmentSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  WORKER_HEALTH_PORT: z.coerce.number().int().min(0).max(65535).default(3001),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// URL' }),
  ...redisShape,
  PUBLIC_BASE_URL: httpUrl,
  ENFUCE_WEBHOOK_USERNAME: secret,
  ENFUCE_WEBHOOK_PASSWORD: secret,
  ENFUCE_CALLBACK_BASE_URL: httpUrl,
  ENFUCE_CALLBACK_USERNAME: secret,
  ENFUCE_CALLBACK_PASSWORD: secret,
  // Must leave room inside Enfuce's 150 s for the TIMEOUT callback itself to be delivered.
  AUTH_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(145).default(120),
  CALLBACK_ATTEMPT_TIMEOUT_MS: z.coerce.number().int().min(100).max(30000).default(5000),
  PUSH_ALLOWED_HOSTS: commaList.default(DEFAULT_PUSH_ALLOWED_HOSTS.split(',')),
  PUSH_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).max(30000).default(5000),
  ISSUER_API_USERNAME: secret,
  ISSUER_API_PASSWORD: secret,
  // Credential rotation: the previous webhook and issuer credentials keep working
  // beside the current ones until the other side has switched; then remove them.
  ENFUCE_WEBHOOK_PREVIOUS_USERNAME: secret.optional(),
  ENFUCE_WEBHOOK_PREVIOUS_PASSWORD: secret.optional(),
  ISSUER_API_PREVIOUS_USERNAME: secret.optional(),
  ISSUER_API_PREVIOUS_PASSWORD: secret.optional(),
  VAPID_PUBLIC_KEY: z.string().regex(/^[A-Za-z0-9_-]{87}$/, 'must be a base64url P-256 public key (npm run vapid:keys)'),
  VAPID_PRIVATE_KEY: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'must be a base64url P-256 private key (npm run vapid:keys)'),
  VAPID_SUBJECT: z.string().regex(/^(mailto:|https:)/, 'must be a mailto: or https: URL'),
  WEBAUTHN_RP_ID: z.string().min(1),
  WEBAUTHN_RP_NAME: z.string().min(1).default('Assent'),
  WEBAUTHN_ORIGINS: commaList.pipe(z.array(httpUrl)),
  ACTIVATION_CODE_TTL_SECONDS: z.coerce.number().int().min(60).max(86400).default(900),
  MAX_DEVICES_PER_CARDHOLDER: z.coerce.number().int().min(1).max(20).default(3),
  // An approval token is proof for the systems that act on the purchase right after it;
  // an hour is the most that still counts as "short-lived".
  APPROVAL_TOKEN_TTL_SECONDS: z.coerce.number().int().min(1).max(3600).default(600),
  // Keys the HMAC that turns an approval token's random id into the token, so the issuer
  // API can hand the token out again while the database holds only its hash.
  APPROVAL_TOKEN_SECRET: z.string().min(32, 'must be at least 32 characters (e.g. openssl rand -base64 32)'),
  // The dashboard's sign-in: a session ends after this much inactivity, and in any case after the maximum.
  ADMIN_SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(30),
  ADMIN_SESSION_MAX_HOURS: z.coerce.number().int().min(1).max(7 * 24).default(12),
  // This many failed sign-ins in a row lock the account for ADMIN_LOCKOUT_MINUTES.
  ADMIN_LOCKOUT_THRESHOLD: z.coerce.number().int().min(1).max(100).default(5),
  ADMIN_LOCKOUT_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(15),
  // Load balancers in front of the API: their X-Forwarded-For is trusted this many hops deep, so
  // per-IP rate limits and the audit log see the client's address rather than the balancer's.
  TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  // Rate limits, counted in Redis so that every API process shares them (per minute).
  RATE_LIMIT_ENROLLMENTS_PER_MINUTE: z.coerce.number().int().min(1).default(30), // per customer number
  RATE_LIMIT_REGISTRATIONS_PER_MINUTE: z.coerce.number().int().min(1).default(30), // per client IP
  RATE_LIMIT_DECISIONS_PER_MINUTE: z.coerce.number().int().min(1).default(30), // per device
  RATE_LIMIT_ADMIN_SIGN_INS_PER_MINUTE: z.coerce.number().int().min(1).default(20), // per client IP
  // A device whose approvals fail verification this many times within DEVICE_LOCKOUT_MINUTES is locked that long.
  DEVICE_LOCKOUT_THRESHOLD: z.coerce.number().int().min(1).max(100).default(5),
  DEVICE_LOCKOUT_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(15),
  // Prometheus scrapes GET /metrics (API port and WORKER_HEALTH_PORT) with this bearer token; unset, /metrics answers 404.
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  ...tracingSchema.shape,
});

export type Environment = z.infer<typeof environmentSchema>;

const redisEnvironmentSchema = z.object(redisShape);

/** The variables that say where Redis is and how keys are named in it. */
export type RedisEnvironment = z.infer<typeof redisEnvironmentSchema>;

export type RedisDeployment =
  | { mode: 'single'; url: string }
  | { mode: 'sentinel'; sentinels: RedisAddress[]; masterName: string; password?: string; sentinelPassword?: string }
  | { mode: 'cluster'; nodes: RedisAddress[]; password?: string };

/**
 * Which of the three Redis deployments the variables describe. Variables of two
 * deployments at once, or one without its partner, are a configuration error:
 * guessing which the operator meant would connect to the wrong Redis.
 */
export function redisDeploymentOf(env: RedisEnvironment): RedisDeployment {
  const refuse = (message: string): never => {
    throw new ConfigError(`Invalid configuration: ${message}`);
  };
  const sentinel = env.REDIS_SENTINELS !== undefined || env.REDIS_SENTINEL_MASTER_NAME !== undefined;
  const cluster = env.REDIS_CLUSTER_NODES !== undefined;
  if (sentinel && cluster) refuse('REDIS_SENTINELS and REDIS_CLUSTER_NODES describe two different Redis deployments; set one of them');
  if (env.REDIS_URL !== undefined && (sentinel || cluster)) {
    refuse(`REDIS_URL names a single Redis; leave it unset with ${sentinel ? 'REDIS_SENTINELS' : 'REDIS_CLUSTER_NODES'} (the data nodes' password goes in REDIS_PASSWORD)`);
  }
  if (env.REDIS_SENTINEL_PASSWORD !== undefined && !sentinel) refuse('REDIS_SENTINEL_PASSWORD is only for REDIS_SENTINELS');
  if (sentinel) {
    if (env.REDIS_SENTINELS === undefined || env.REDIS_SENTINEL_MASTER_NAME === undefined) {
      return refuse('REDIS_SENTINELS and REDIS_SENTINEL_MASTER_NAME must be set together');
    }
    return {
      mode: 'sentinel',
      sentinels: env.REDIS_SENTINELS,
      masterName: env.REDIS_SENTINEL_MASTER_NAME,
      password: env.REDIS_PASSWORD,
      sentinelPassword: env.REDIS_SENTINEL_PASSWORD,
    };
  }
  if (cluster) return { mode: 'cluster', nodes: env.REDIS_CLUSTER_NODES!, password: env.REDIS_PASSWORD };
  if (env.REDIS_PASSWORD !== undefined) refuse('REDIS_PASSWORD is for Sentinel or Cluster; a single Redis takes its password in REDIS_URL (redis://:password@host:6379)');
  if (env.REDIS_URL === undefined) return refuse('REDIS_URL is required (or REDIS_SENTINELS with REDIS_SENTINEL_MASTER_NAME, or REDIS_CLUSTER_NODES)');
  return { mode: 'single', url: env.REDIS_URL };
}

/** Only the Redis variables, validated as the service validates them: for tools that reach the same Redis (tests, benchmarks). */
export function parseRedisEnvironment(source: Record<string, string | undefined>): RedisEnvironment {
  const env = parseWith(redisEnvironmentSchema, source);
  redisDeploymentOf(env);
  return env;
}

/**
 * The sandbox (apps/sandbox): local stand-ins for Enfuce ID, a 3-D Secure server,
 * an ACS and a merchant. It shares the credentials the authenticator is configured
 * with, since it plays the parties on the other side of them.
 */
const sandboxEnvironmentSchema = z.object({
  LOG_LEVEL: environmentSchema.shape.LOG_LEVEL,
  SANDBOX_PORT: z.coerce.number().int().min(1).max(65535).default(4000),
  // Where browsers and the authenticator reach the sandbox: acsURL, callbackUrl and the shop's links point here.
  SANDBOX_PUBLIC_URL: httpUrl.optional(),
  // The authenticator's origin: its webhook, issuer API and device API (the PWA's origin too).
  SANDBOX_AUTHENTICATOR_URL: httpUrl.default('http://localhost:3000'),
  SANDBOX_INSTITUTION_CODE: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, _ and - only').default('sandboxbank'),
  // Enfuce ID invalidates a session this long after its webhook (seed 000: 150 s); shorter only for tests.
  SANDBOX_ENFUCE_DEADLINE_SECONDS: z.coerce.number().int().min(1).max(600).default(150),
  // The 3-D Secure server gives the directory server this long (3dsecure.io: 10 s); shorter only for tests.
  SANDBOX_DS_TIMEOUT_MS: z.coerce.number().int().min(100).max(60000).default(10000),
  // The cardholder who pays with the demo card and approves on a real phone, with the cardholder app.
  SANDBOX_DEMO_CUSTOMER_NUMBER: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1-64 letters, digits, _ or -').default('392492402'),
  ENFUCE_WEBHOOK_USERNAME: secret,
  ENFUCE_WEBHOOK_PASSWORD: secret,
  ENFUCE_CALLBACK_USERNAME: secret,
  ENFUCE_CALLBACK_PASSWORD: secret,
  ISSUER_API_USERNAME: secret,
  ISSUER_API_PASSWORD: secret,
});

export type SandboxEnvironment = Omit<z.infer<typeof sandboxEnvironmentSchema>, 'SANDBOX_PUBLIC_URL'> & { SANDBOX_PUBLIC_URL: string };

export class ConfigError extends Error {}

/**
 * Validates a schema against the environment. Every problem is reported with the
 * variable's name so an operator can fix the deployment without reading code.
 */
function parseWith<T>(schema: z.ZodType<T>, source: Record<string, string | undefined>): T {
  // An empty variable means "not set", so defaults apply and required ones are reported missing.
  const present = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ''));
  const result = schema.safeParse(present);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const name = issue.path.join('.');
      const message = issue.code === 'invalid_type' && present[name] === undefined ? 'is required' : issue.message;
      return `${name} ${message}`;
    });
    throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
  }
  return result.data;
}

/** Validates the API's and the worker's environment once, at start. */
export function parseEnvironment(source: Record<string, string | undefined>): Environment {
  const env = parseWith(environmentSchema, source);
  redisDeploymentOf(env);
  if (!env.WEBAUTHN_ORIGINS.every((origin) => new URL(origin).hostname === env.WEBAUTHN_RP_ID || new URL(origin).hostname.endsWith(`.${env.WEBAUTHN_RP_ID}`))) {
    throw new ConfigError('Invalid configuration: WEBAUTHN_ORIGINS must be on WEBAUTHN_RP_ID or its subdomains');
  }
  for (const name of ['ENFUCE_WEBHOOK_PREVIOUS', 'ISSUER_API_PREVIOUS'] as const) {
    if ((env[`${name}_USERNAME`] === undefined) !== (env[`${name}_PASSWORD`] === undefined)) {
      throw new ConfigError(`Invalid configuration: ${name}_USERNAME and ${name}_PASSWORD must be set together`);
    }
  }
  return env;
}

/** The tracing variables alone, for the process's first module, which starts tracing before anything else loads. */
export function parseTracingEnvironment(source: Record<string, string | undefined>): TracingEnvironment {
  return parseWith(tracingSchema, source);
}

/** Tracing is on when an OTLP endpoint is set, unless the standard OTEL_SDK_DISABLED says otherwise. */
export function tracingConfigured(env: TracingEnvironment): boolean {
  return (env.OTEL_EXPORTER_OTLP_ENDPOINT !== undefined || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT !== undefined) && env.OTEL_SDK_DISABLED === 'false';
}

export interface Credentials {
  username: string;
  password: string;
}

/** The credentials the webhook accepts: the current ones, and the previous ones during a rotation. */
export function webhookCredentials(env: Environment): Credentials[] {
  return withPrevious({ username: env.ENFUCE_WEBHOOK_USERNAME, password: env.ENFUCE_WEBHOOK_PASSWORD }, env.ENFUCE_WEBHOOK_PREVIOUS_USERNAME, env.ENFUCE_WEBHOOK_PREVIOUS_PASSWORD);
}

/** The credentials the issuer API accepts: the current ones, and the previous ones during a rotation. */
export function issuerCredentials(env: Environment): Credentials[] {
  return withPrevious({ username: env.ISSUER_API_USERNAME, password: env.ISSUER_API_PASSWORD }, env.ISSUER_API_PREVIOUS_USERNAME, env.ISSUER_API_PREVIOUS_PASSWORD);
}

function withPrevious(current: Credentials, username?: string, password?: string): Credentials[] {
  return username !== undefined && password !== undefined ? [current, { username, password }] : [current];
}

/** Validates the sandbox's environment once, at start. */
export function parseSandboxEnvironment(source: Record<string, string | undefined>): SandboxEnvironment {
  const env = parseWith(sandboxEnvironmentSchema, source);
  const publicUrl = (env.SANDBOX_PUBLIC_URL ?? `http://localhost:${env.SANDBOX_PORT}`).replace(/\/+$/, '');
  return { ...env, SANDBOX_PUBLIC_URL: publicUrl, SANDBOX_AUTHENTICATOR_URL: env.SANDBOX_AUTHENTICATOR_URL.replace(/\/+$/, '') };
}
