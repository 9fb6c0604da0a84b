import { Writable } from 'node:stream';
import pino from 'pino';
import { configuredSecrets, loggerOptions, scrubSecrets } from './logging';
import { parseEnvironment } from './environment';

const env = parseEnvironment({
  DATABASE_URL: 'postgres://localhost/assent',
  REDIS_URL: 'redis://localhost:6379',
  PUBLIC_BASE_URL: 'http://localhost:3000',
  ENFUCE_WEBHOOK_USERNAME: 'enfuce',
  ENFUCE_WEBHOOK_PASSWORD: 'webhook-pa"ss',
  ENFUCE_CALLBACK_BASE_URL: 'http://localhost:4000/callback',
  ENFUCE_CALLBACK_USERNAME: 'assent',
  ENFUCE_CALLBACK_PASSWORD: 'callback-pass',
  ISSUER_API_USERNAME: 'issuer',
  ISSUER_API_PASSWORD: 'issuer-pass',
  VAPID_PUBLIC_KEY: 'B'.repeat(87),
  VAPID_PRIVATE_KEY: 'vapidPrivateKeyvapidPrivateKeyvapidPrivateK',
  VAPID_SUBJECT: 'mailto:ops@bank.test',
  WEBAUTHN_RP_ID: 'localhost',
  WEBAUTHN_ORIGINS: 'http://localhost:3000',
  APPROVAL_TOKEN_SECRET: 'approval-token-secret-approval-token-secret',
});

/** A logger configured as the processes configure theirs, writing into a string. */
function capturingLogger() {
  let output = '';
  const stream = new Writable({ write: (chunk, _encoding, done) => ((output += chunk.toString()), done()) });
  const logger = pino({ ...(loggerOptions(env) as pino.LoggerOptions), level: 'info' }, stream);
  return { logger, output: () => output };
}

describe('log redaction', () => {
  it('masks a card number that Luhn recognises, grouped or not, and leaves other numbers alone', () => {
    expect(scrubSecrets('card 4111111111111111 and 4000 0000 0000 9003')).toBe('card 411111______1111 and 400000______9003');
    expect(scrubSecrets('{"time":1795001100000,"count":12345678901234567}')).toBe('{"time":1795001100000,"count":12345678901234567}');
  });

  it('leaves session ids alone, even where their digits would pass for a card number', () => {
    // 6-4-790459973342 is 14 digits that pass Luhn: masked, the id could no longer be grepped.
    const line = '{"sessionId":"935e6156-e55a-4cfb-ab64-790459973342","other":"12345678-1234-1234-1234-123456789012"}';
    expect(scrubSecrets(line)).toBe(line);
    expect(scrubSecrets('{"cardNumber":"4111-1111-1111-1111","path":"/cards/4111111111111111/x"}')).toBe(
      '{"cardNumber":"411111______1111","path":"/cards/411111______1111/x"}',
    );
  });

  it('blanks bearer secrets by their prefix', () => {
    const token = 'dt_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcd';
    expect(scrubSecrets(`GET /app/activate?code=ac_${token.slice(3)} with ${token}`)).toBe('GET /app/activate?code=ac_[redacted] with dt_[redacted]');
  });

  it('blanks every configured secret, including one that JSON escapes', () => {
    const secrets = configuredSecrets(env);
    expect(secrets).toContain('webhook-pa\\"ss');
    const line = JSON.stringify({ msg: `key ${env.VAPID_PRIVATE_KEY} pass ${env.ENFUCE_WEBHOOK_PASSWORD} ${env.ISSUER_API_PASSWORD}` });
    expect(scrubSecrets(line, secrets)).toBe(JSON.stringify({ msg: 'key [redacted] pass [redacted] [redacted]' }));
  });

  it('writes an error with its message and stack but without the properties a library hung on it', () => {
    const { logger, output } = capturingLogger();
    const error = Object.assign(new Error(`push refused for dt_${'x'.repeat(43)}`), {
      code: 'E_PUSH',
      headers: { authorization: 'vapid t=secret-jwt' },
      parameters: ['plain-password-in-sql'],
      body: 'card 4111111111111111',
    });
    logger.error({ err: error, msg: 'failed' });
    const line = JSON.parse(output());
    expect(line.err).toEqual({ type: 'Error', message: 'push refused for dt_[redacted]', stack: expect.stringContaining('dt_[redacted]'), code: 'E_PUSH' });
    expect(output()).not.toContain('secret-jwt');
    expect(output()).not.toContain('plain-password-in-sql');
  });

  it('redacts named fields at any depth the paths name', () => {
    const { logger, output } = capturingLogger();
    logger.info({ body: { password: 'hunter2', deviceToken: 'tok', activationCode: 'code', cardNumber: 'pan', pushSubscription: { endpoint: 'e' }, keys: { auth: 'a' } } });
    const { body } = JSON.parse(output());
    expect(Object.values(body)).toEqual(Array(6).fill('[redacted]'));
  });
});
