import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ConfigError,
  DEFAULT_PUSH_ALLOWED_HOSTS,
  issuerCredentials,
  parseEnvironment,
  parseRedisEnvironment,
  parseSandboxEnvironment,
  parseTracingEnvironment,
  redisDeploymentOf,
  tracingConfigured,
  webhookCredentials,
} from './environment';

/** A tiny KEY=value parser: enough for .env.example (comments, blank lines, no quoting). */
function parseDotenv(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const equals = line.indexOf('=');
    if (equals <= 0) throw new Error(`not a KEY=value line: ${raw}`);
    env[line.slice(0, equals).trim()] = line.slice(equals + 1).trim();
  }
  return env;
}

const EXAMPLE = parseDotenv(readFileSync(join(__dirname, '../../../.env.example'), 'utf8'));

function example(overrides: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return { ...EXAMPLE, ...overrides };
}

function without(...names: string[]): Record<string, string | undefined> {
  const env = example();
  for (const name of names) delete env[name];
  return env;
}

function configErrorOf(source: Record<string, string | undefined>, parse: (source: Record<string, string | undefined>) => unknown = parseEnvironment): ConfigError {
  try {
    parse(source);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('the environment was accepted');
}

describe('parseEnvironment', () => {
  it('reads a complete .env.example', () => {
    expect(Object.keys(EXAMPLE)).toEqual(expect.arrayContaining(['DATABASE_URL', 'REDIS_URL', 'VAPID_PUBLIC_KEY', 'WEBAUTHN_ORIGINS']));
  });

  it('accepts the values of .env.example and converts them', () => {
    const env = parseEnvironment(example());
    expect(env.DATABASE_URL).toBe(EXAMPLE.DATABASE_URL);
    expect(env.REDIS_URL).toBe(EXAMPLE.REDIS_URL);
    expect(env.PORT).toBe(Number(EXAMPLE.PORT));
    expect(env.AUTH_TIMEOUT_SECONDS).toBe(Number(EXAMPLE.AUTH_TIMEOUT_SECONDS));
    expect(env.ENFUCE_CALLBACK_BASE_URL).toBe(EXAMPLE.ENFUCE_CALLBACK_BASE_URL);
    expect(env.PUSH_ALLOWED_HOSTS).toEqual(EXAMPLE.PUSH_ALLOWED_HOSTS.split(','));
    expect(env.WEBAUTHN_ORIGINS).toEqual(EXAMPLE.WEBAUTHN_ORIGINS.split(','));
    expect(env.VAPID_PUBLIC_KEY).toBe(EXAMPLE.VAPID_PUBLIC_KEY);
  });

  it('applies the defaults for optional variables that are not set', () => {
    const env = parseEnvironment(
      without(
        'NODE_ENV',
        'PORT',
        'WORKER_HEALTH_PORT',
        'LOG_LEVEL',
        'REDIS_KEY_PREFIX',
        'AUTH_TIMEOUT_SECONDS',
        'CALLBACK_ATTEMPT_TIMEOUT_MS',
        'PUSH_ALLOWED_HOSTS',
        'PUSH_REQUEST_TIMEOUT_MS',
        'WEBAUTHN_RP_NAME',
        'ACTIVATION_CODE_TTL_SECONDS',
        'MAX_DEVICES_PER_CARDHOLDER',
        'APPROVAL_TOKEN_TTL_SECONDS',
      ),
    );
    expect(env.AUTH_TIMEOUT_SECONDS).toBe(120);
    expect(env.CALLBACK_ATTEMPT_TIMEOUT_MS).toBe(5000);
    expect(env.PUSH_ALLOWED_HOSTS).toEqual([
      'fcm.googleapis.com',
      'updates.push.services.mozilla.com',
      '*.push.apple.com',
      '*.notify.windows.com',
    ]);
    expect(env.PUSH_ALLOWED_HOSTS).toEqual(DEFAULT_PUSH_ALLOWED_HOSTS.split(','));
    expect(env.PORT).toBe(3000);
    expect(env.NODE_ENV).toBe('development');
    expect(env.REDIS_KEY_PREFIX).toBe('assent');
    expect(env.ACTIVATION_CODE_TTL_SECONDS).toBe(900);
    expect(env.MAX_DEVICES_PER_CARDHOLDER).toBe(3);
    expect(env.APPROVAL_TOKEN_TTL_SECONDS).toBe(600);
  });

  it('uses a configured value instead of the default', () => {
    const env = parseEnvironment(example({ AUTH_TIMEOUT_SECONDS: '60', CALLBACK_ATTEMPT_TIMEOUT_MS: '1500' }));
    expect(env.AUTH_TIMEOUT_SECONDS).toBe(60);
    expect(env.CALLBACK_ATTEMPT_TIMEOUT_MS).toBe(1500);
  });

  it('splits and trims PUSH_ALLOWED_HOSTS and drops empty entries', () => {
    const env = parseEnvironment(example({ PUSH_ALLOWED_HOSTS: ' push.example.com , *.push.example.net ,, ' }));
    expect(env.PUSH_ALLOWED_HOSTS).toEqual(['push.example.com', '*.push.example.net']);
  });

  it('reports a missing DATABASE_URL as required, by name', () => {
    const error = configErrorOf(without('DATABASE_URL'));
    expect(error.message).toMatch(/DATABASE_URL is required/);
  });

  it('accepts AUTH_TIMEOUT_SECONDS=145, the most that leaves room before Enfuce’s 150 s', () => {
    expect(parseEnvironment(example({ AUTH_TIMEOUT_SECONDS: '145' })).AUTH_TIMEOUT_SECONDS).toBe(145);
  });

  it('refuses AUTH_TIMEOUT_SECONDS=146, naming the variable', () => {
    expect(configErrorOf(example({ AUTH_TIMEOUT_SECONDS: '146' })).message).toMatch(/AUTH_TIMEOUT_SECONDS/);
  });

  it('refuses a non-numeric AUTH_TIMEOUT_SECONDS, naming the variable', () => {
    expect(configErrorOf(example({ AUTH_TIMEOUT_SECONDS: 'abc' })).message).toMatch(/AUTH_TIMEOUT_SECONDS/);
  });

  it('refuses a fractional or zero AUTH_TIMEOUT_SECONDS', () => {
    expect(configErrorOf(example({ AUTH_TIMEOUT_SECONDS: '12.5' })).message).toMatch(/AUTH_TIMEOUT_SECONDS/);
    expect(configErrorOf(example({ AUTH_TIMEOUT_SECONDS: '0' })).message).toMatch(/AUTH_TIMEOUT_SECONDS/);
  });

  it('refuses a malformed VAPID_PUBLIC_KEY, naming the variable', () => {
    expect(configErrorOf(example({ VAPID_PUBLIC_KEY: 'not-a-key' })).message).toMatch(/VAPID_PUBLIC_KEY/);
    expect(configErrorOf(example({ VAPID_PUBLIC_KEY: `${EXAMPLE.VAPID_PUBLIC_KEY}A` })).message).toMatch(/VAPID_PUBLIC_KEY/);
    expect(configErrorOf(example({ VAPID_PUBLIC_KEY: EXAMPLE.VAPID_PUBLIC_KEY.replace(/.$/, '+') })).message).toMatch(/VAPID_PUBLIC_KEY/);
  });

  it('refuses a WEBAUTHN_ORIGINS entry that is not on WEBAUTHN_RP_ID', () => {
    const error = configErrorOf(example({ WEBAUTHN_RP_ID: 'example.com', WEBAUTHN_ORIGINS: 'https://example.com,https://evil.com' }));
    expect(error.message).toMatch(/WEBAUTHN_ORIGINS/);
  });

  it('refuses an origin whose host only ends with the RP ID’s characters', () => {
    expect(configErrorOf(example({ WEBAUTHN_RP_ID: 'example.com', WEBAUTHN_ORIGINS: 'https://evilexample.com' })).message).toMatch(
      /WEBAUTHN_ORIGINS/,
    );
  });

  it('accepts origins on the RP ID and its subdomains', () => {
    const env = parseEnvironment(
      example({ WEBAUTHN_RP_ID: 'example.com', WEBAUTHN_ORIGINS: 'https://example.com, https://app.example.com:8443' }),
    );
    expect(env.WEBAUTHN_ORIGINS).toEqual(['https://example.com', 'https://app.example.com:8443']);
  });

  it('refuses a REDIS_URL that is not redis:// or rediss://, naming the variable', () => {
    expect(configErrorOf(example({ REDIS_URL: 'http://127.0.0.1:6379' })).message).toMatch(/REDIS_URL/);
    expect(configErrorOf(example({ REDIS_URL: 'postgres://127.0.0.1:6379' })).message).toMatch(/REDIS_URL/);
    expect(parseEnvironment(example({ REDIS_URL: 'rediss://cache.example.com:6380' })).REDIS_URL).toBe('rediss://cache.example.com:6380');
  });

  it('treats an empty required variable as missing', () => {
    expect(configErrorOf(example({ DATABASE_URL: '' })).message).toMatch(/DATABASE_URL is required/);
    expect(configErrorOf(example({ ENFUCE_CALLBACK_PASSWORD: '' })).message).toMatch(/ENFUCE_CALLBACK_PASSWORD is required/);
  });

  it('treats an empty optional variable as unset, so its default applies', () => {
    const env = parseEnvironment(example({ AUTH_TIMEOUT_SECONDS: '', CALLBACK_ATTEMPT_TIMEOUT_MS: '', PUSH_ALLOWED_HOSTS: '' }));
    expect(env.AUTH_TIMEOUT_SECONDS).toBe(120);
    expect(env.CALLBACK_ATTEMPT_TIMEOUT_MS).toBe(5000);
    expect(env.PUSH_ALLOWED_HOSTS).toEqual(DEFAULT_PUSH_ALLOWED_HOSTS.split(','));
  });

  it('reports every problem at once, each with its variable', () => {
    const message = configErrorOf(example({ DATABASE_URL: undefined, REDIS_URL: 'http://x', AUTH_TIMEOUT_SECONDS: '999' })).message;
    expect(message).toMatch(/DATABASE_URL/);
    expect(message).toMatch(/REDIS_URL/);
    expect(message).toMatch(/AUTH_TIMEOUT_SECONDS/);
  });

  it('accepts an approval token lifetime from 1 s to an hour, and nothing outside', () => {
    expect(parseEnvironment(example({ APPROVAL_TOKEN_TTL_SECONDS: '1' })).APPROVAL_TOKEN_TTL_SECONDS).toBe(1);
    expect(parseEnvironment(example({ APPROVAL_TOKEN_TTL_SECONDS: '3600' })).APPROVAL_TOKEN_TTL_SECONDS).toBe(3600);
    expect(configErrorOf(example({ APPROVAL_TOKEN_TTL_SECONDS: '0' })).message).toMatch(/APPROVAL_TOKEN_TTL_SECONDS/);
    expect(configErrorOf(example({ APPROVAL_TOKEN_TTL_SECONDS: '3601' })).message).toMatch(/APPROVAL_TOKEN_TTL_SECONDS/);
    expect(configErrorOf(example({ APPROVAL_TOKEN_TTL_SECONDS: '2.5' })).message).toMatch(/APPROVAL_TOKEN_TTL_SECONDS/);
  });

  it('requires an APPROVAL_TOKEN_SECRET of at least 32 characters, naming the variable', () => {
    expect(configErrorOf(without('APPROVAL_TOKEN_SECRET')).message).toMatch(/APPROVAL_TOKEN_SECRET is required/);
    expect(configErrorOf(example({ APPROVAL_TOKEN_SECRET: 'x'.repeat(31) })).message).toMatch(/APPROVAL_TOKEN_SECRET must be at least 32/);
    expect(parseEnvironment(example({ APPROVAL_TOKEN_SECRET: 'x'.repeat(32) })).APPROVAL_TOKEN_SECRET).toBe('x'.repeat(32));
  });

  it('does not call a present but invalid value "required"', () => {
    expect(configErrorOf(example({ REDIS_URL: 'http://127.0.0.1:6379' })).message).not.toMatch(/REDIS_URL is required/);
  });
});

describe('the Redis deployment', () => {
  const sentinels = { REDIS_URL: undefined, REDIS_SENTINELS: 'sentinel-0:26379, sentinel-1:26379,[::1]:26380', REDIS_SENTINEL_MASTER_NAME: 'assent' };
  const cluster = { REDIS_URL: undefined, REDIS_CLUSTER_NODES: 'redis-0:6379,redis-1:6379' };

  it('is a single Redis at REDIS_URL by default', () => {
    expect(redisDeploymentOf(parseEnvironment(example()))).toEqual({ mode: 'single', url: EXAMPLE.REDIS_URL });
  });

  it('is a primary found through Sentinel with REDIS_SENTINELS and REDIS_SENTINEL_MASTER_NAME, with the passwords of each', () => {
    const env = parseEnvironment(example({ ...sentinels, REDIS_PASSWORD: 'data-password', REDIS_SENTINEL_PASSWORD: 'sentinel-password' }));
    expect(redisDeploymentOf(env)).toEqual({
      mode: 'sentinel',
      sentinels: [
        { host: 'sentinel-0', port: 26379 },
        { host: 'sentinel-1', port: 26379 },
        { host: '::1', port: 26380 },
      ],
      masterName: 'assent',
      password: 'data-password',
      sentinelPassword: 'sentinel-password',
    });
  });

  it('is a Cluster with REDIS_CLUSTER_NODES', () => {
    expect(redisDeploymentOf(parseEnvironment(example(cluster)))).toEqual({
      mode: 'cluster',
      nodes: [
        { host: 'redis-0', port: 6379 },
        { host: 'redis-1', port: 6379 },
      ],
      password: undefined,
    });
  });

  it('refuses Sentinel and Cluster together, naming both', () => {
    const message = configErrorOf(example({ ...sentinels, ...cluster })).message;
    expect(message).toMatch(/REDIS_SENTINELS and REDIS_CLUSTER_NODES describe two different Redis deployments; set one of them/);
  });

  it('refuses REDIS_URL beside Sentinel or Cluster, where it would be ignored', () => {
    expect(configErrorOf(example({ ...sentinels, REDIS_URL: EXAMPLE.REDIS_URL })).message).toMatch(/REDIS_URL names a single Redis; leave it unset with REDIS_SENTINELS/);
    expect(configErrorOf(example({ ...cluster, REDIS_URL: EXAMPLE.REDIS_URL })).message).toMatch(/REDIS_URL names a single Redis; leave it unset with REDIS_CLUSTER_NODES/);
  });

  it('refuses a Sentinel setting without its partner', () => {
    expect(configErrorOf(example({ ...sentinels, REDIS_SENTINEL_MASTER_NAME: undefined })).message).toMatch(/REDIS_SENTINELS and REDIS_SENTINEL_MASTER_NAME must be set together/);
    expect(configErrorOf(example({ ...sentinels, REDIS_SENTINELS: undefined })).message).toMatch(/REDIS_SENTINELS and REDIS_SENTINEL_MASTER_NAME must be set together/);
    expect(configErrorOf(example({ ...cluster, REDIS_SENTINEL_PASSWORD: 'x' })).message).toMatch(/REDIS_SENTINEL_PASSWORD is only for REDIS_SENTINELS/);
  });

  it('refuses REDIS_PASSWORD with a single Redis, whose password belongs in REDIS_URL', () => {
    expect(configErrorOf(example({ REDIS_PASSWORD: 'x' })).message).toMatch(/REDIS_PASSWORD is for Sentinel or Cluster; a single Redis takes its password in REDIS_URL/);
  });

  it('requires one of the three', () => {
    expect(configErrorOf(without('REDIS_URL')).message).toMatch(/REDIS_URL is required \(or REDIS_SENTINELS with REDIS_SENTINEL_MASTER_NAME, or REDIS_CLUSTER_NODES\)/);
  });

  it.each([
    ['a host without a port', 'redis-0'],
    ['a port out of range', 'redis-0:65536'],
    ['a port of zero', 'redis-0:0'],
    ['a URL instead of host:port', 'redis://redis-0:6379'],
    ['an IPv6 address without brackets', '::1:6379'],
  ])('refuses %s in REDIS_CLUSTER_NODES or REDIS_SENTINELS, naming the variable and the entry', (_case, value) => {
    expect(configErrorOf(example({ ...cluster, REDIS_CLUSTER_NODES: `redis-1:6379,${value}` })).message).toContain(`REDIS_CLUSTER_NODES must be comma-separated host:port pairs ("${value}" is not one)`);
    expect(configErrorOf(example({ ...sentinels, REDIS_SENTINELS: value })).message).toContain(`REDIS_SENTINELS must be comma-separated host:port pairs ("${value}" is not one)`);
  });

  it('refuses a list of nothing but commas', () => {
    expect(configErrorOf(example({ ...cluster, REDIS_CLUSTER_NODES: ' , ' })).message).toMatch(/REDIS_CLUSTER_NODES must be comma-separated host:port pairs/);
  });

  it('reads only the Redis variables for tools that reach the same Redis, with the same checks', () => {
    expect(parseRedisEnvironment({ REDIS_CLUSTER_NODES: '127.0.0.1:7000' }).REDIS_CLUSTER_NODES).toEqual([{ host: '127.0.0.1', port: 7000 }]);
    expect(() => parseRedisEnvironment({ REDIS_URL: 'redis://127.0.0.1:6379', REDIS_CLUSTER_NODES: '127.0.0.1:7000' })).toThrow(ConfigError);
  });
});

describe('parseSandboxEnvironment', () => {
  it('accepts the values of .env.example', () => {
    const env = parseSandboxEnvironment(example());
    expect(env.SANDBOX_PORT).toBe(Number(EXAMPLE.SANDBOX_PORT));
    expect(env.SANDBOX_ENFUCE_DEADLINE_SECONDS).toBe(150);
    expect(env.SANDBOX_DS_TIMEOUT_MS).toBe(10000);
    expect(env.ENFUCE_CALLBACK_PASSWORD).toBe(EXAMPLE.ENFUCE_CALLBACK_PASSWORD);
  });

  it('points the authenticator’s callbacks in .env.example at the sandbox’s Enfuce ID', () => {
    const sandbox = parseSandboxEnvironment(example());
    expect(parseEnvironment(example()).ENFUCE_CALLBACK_BASE_URL).toBe(`${sandbox.SANDBOX_PUBLIC_URL}/enfuceid/api/v1/callback`);
  });

  it('derives the public URL from the port when it is not set, without a trailing slash', () => {
    expect(parseSandboxEnvironment(example({ SANDBOX_PUBLIC_URL: undefined, SANDBOX_PORT: '3202' })).SANDBOX_PUBLIC_URL).toBe('http://localhost:3202');
    expect(parseSandboxEnvironment(example({ SANDBOX_PUBLIC_URL: 'http://sandbox.local:8080/' })).SANDBOX_PUBLIC_URL).toBe('http://sandbox.local:8080');
  });

  it('needs none of the authenticator’s own settings, such as DATABASE_URL', () => {
    expect(parseSandboxEnvironment(without('DATABASE_URL', 'REDIS_URL', 'VAPID_PUBLIC_KEY')).SANDBOX_INSTITUTION_CODE).toBe('sandboxbank');
  });

  it('refuses a deadline of 0 and a missing callback password, naming the variables', () => {
    const error = configErrorOf(example({ SANDBOX_ENFUCE_DEADLINE_SECONDS: '0', ENFUCE_CALLBACK_PASSWORD: undefined }), parseSandboxEnvironment);
    expect(error.message).toMatch(/SANDBOX_ENFUCE_DEADLINE_SECONDS/);
    expect(error.message).toMatch(/ENFUCE_CALLBACK_PASSWORD is required/);
  });
});

describe('credential rotation', () => {
  it('accepts only the current webhook and issuer credentials when no previous ones are set', () => {
    const env = parseEnvironment(example());
    expect(webhookCredentials(env)).toEqual([{ username: EXAMPLE.ENFUCE_WEBHOOK_USERNAME, password: EXAMPLE.ENFUCE_WEBHOOK_PASSWORD }]);
    expect(issuerCredentials(env)).toEqual([{ username: EXAMPLE.ISSUER_API_USERNAME, password: EXAMPLE.ISSUER_API_PASSWORD }]);
  });

  it('accepts the previous credentials beside the current ones during a rotation', () => {
    const env = parseEnvironment(example({ ENFUCE_WEBHOOK_PREVIOUS_USERNAME: 'old-enfuce', ENFUCE_WEBHOOK_PREVIOUS_PASSWORD: 'old-pass', ISSUER_API_PREVIOUS_USERNAME: 'old-issuer', ISSUER_API_PREVIOUS_PASSWORD: 'old-issuer-pass' }));
    expect(webhookCredentials(env)).toEqual([{ username: EXAMPLE.ENFUCE_WEBHOOK_USERNAME, password: EXAMPLE.ENFUCE_WEBHOOK_PASSWORD }, { username: 'old-enfuce', password: 'old-pass' }]);
    expect(issuerCredentials(env)[1]).toEqual({ username: 'old-issuer', password: 'old-issuer-pass' });
  });

  it('refuses to start with a previous username but no previous password', () => {
    expect(configErrorOf(example({ ISSUER_API_PREVIOUS_USERNAME: 'old-issuer' })).message).toContain('ISSUER_API_PREVIOUS_USERNAME and ISSUER_API_PREVIOUS_PASSWORD must be set together');
  });
});

describe('tracing', () => {
  it('is off in .env.example, which sets no OTLP endpoint', () => {
    expect(tracingConfigured(parseEnvironment(example()))).toBe(false);
  });

  it('is on with either standard endpoint variable', () => {
    expect(tracingConfigured(parseTracingEnvironment({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }))).toBe(true);
    expect(tracingConfigured(parseTracingEnvironment({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces' }))).toBe(true);
  });

  it('stays off with an endpoint when OTEL_SDK_DISABLED=true, as the SDK itself would', () => {
    expect(tracingConfigured(parseTracingEnvironment({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SDK_DISABLED: 'true' }))).toBe(false);
  });

  it('samples every trace unless told otherwise', () => {
    const env = parseTracingEnvironment({});
    expect(env.OTEL_TRACES_SAMPLER).toBe('parentbased_always_on');
    expect(env.OTEL_TRACES_SAMPLER_ARG).toBe(1);
  });

  it('refuses a malformed endpoint, protocol, sampler, ratio or header list, naming each variable', () => {
    const message = configErrorOf(
      example({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318',
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http',
        OTEL_TRACES_SAMPLER: 'sometimes',
        OTEL_TRACES_SAMPLER_ARG: '1.5',
        OTEL_EXPORTER_OTLP_HEADERS: 'api-key',
      }),
    ).message;
    for (const name of ['OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_EXPORTER_OTLP_PROTOCOL', 'OTEL_TRACES_SAMPLER', 'OTEL_TRACES_SAMPLER_ARG', 'OTEL_EXPORTER_OTLP_HEADERS']) {
      expect(message).toContain(name);
    }
  });

  it('accepts the header list of a hosted collector', () => {
    expect(parseTracingEnvironment({ OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=abc123, x-team=payments' }).OTEL_EXPORTER_OTLP_HEADERS).toBe('x-api-key=abc123, x-team=payments');
  });
});
