import { BasicAuthVerifier, basicAuthMatches, bearerTokenMatches } from './basic-auth';

const basic = (credentials: string, scheme = 'Basic') => `${scheme} ${Buffer.from(credentials, 'utf8').toString('base64')}`;

const USER = 'enfuce-dev';
const PASSWORD = 'dev-webhook-password-not-secret';

describe('basicAuthMatches', () => {
  it('is true for the right user and password', () => {
    expect(basicAuthMatches(basic(`${USER}:${PASSWORD}`), USER, PASSWORD)).toBe(true);
  });

  it('is false for a wrong user', () => {
    expect(basicAuthMatches(basic(`someone:${PASSWORD}`), USER, PASSWORD)).toBe(false);
    expect(basicAuthMatches(basic(`${USER}x:${PASSWORD}`), USER, PASSWORD)).toBe(false);
    expect(basicAuthMatches(basic(`:${PASSWORD}`), USER, PASSWORD)).toBe(false);
  });

  it('is false for a wrong password', () => {
    expect(basicAuthMatches(basic(`${USER}:wrong`), USER, PASSWORD)).toBe(false);
    expect(basicAuthMatches(basic(`${USER}:${PASSWORD}x`), USER, PASSWORD)).toBe(false);
    expect(basicAuthMatches(basic(`${USER}:`), USER, PASSWORD)).toBe(false);
  });

  it('is false when user and password are swapped', () => {
    expect(basicAuthMatches(basic(`${PASSWORD}:${USER}`), USER, PASSWORD)).toBe(false);
  });

  it('is false without a header', () => {
    expect(basicAuthMatches(undefined, USER, PASSWORD)).toBe(false);
    expect(basicAuthMatches('', USER, PASSWORD)).toBe(false);
    expect(basicAuthMatches('Basic ', USER, PASSWORD)).toBe(false);
  });

  it('is false for the Bearer scheme even with the right credentials encoded', () => {
    expect(basicAuthMatches(basic(`${USER}:${PASSWORD}`, 'Bearer'), USER, PASSWORD)).toBe(false);
  });

  it('is false when the decoded credentials have no colon', () => {
    expect(basicAuthMatches(basic(`${USER}${PASSWORD}`), USER, PASSWORD)).toBe(false);
  });

  it('requires the colon even when the expected user and password are empty', () => {
    expect(basicAuthMatches(basic(''), '', '')).toBe(false);
    expect(basicAuthMatches(basic(':'), '', '')).toBe(true);
  });

  it('splits at the first colon, so a password may contain colons', () => {
    expect(basicAuthMatches(basic('user:pa:ss:word'), 'user', 'pa:ss:word')).toBe(true);
    expect(basicAuthMatches(basic('user:pa:ss:word'), 'user:pa', 'ss:word')).toBe(false);
  });

  it('accepts the scheme name in any case', () => {
    expect(basicAuthMatches(basic(`${USER}:${PASSWORD}`, 'basic'), USER, PASSWORD)).toBe(true);
    expect(basicAuthMatches(basic(`${USER}:${PASSWORD}`, 'BASIC'), USER, PASSWORD)).toBe(true);
  });

  it('decodes the credentials as UTF-8', () => {
    expect(basicAuthMatches(basic('käyttäjä:sälasana€'), 'käyttäjä', 'sälasana€')).toBe(true);
  });

  it('is false for a token that is not base64', () => {
    expect(basicAuthMatches(`Basic ${USER}:${PASSWORD}`, USER, PASSWORD)).toBe(false);
  });

  it('is false when the header carries something after the credentials', () => {
    expect(basicAuthMatches(`${basic(`${USER}:${PASSWORD}`)} extra`, USER, PASSWORD)).toBe(false);
  });
});

describe('bearerTokenMatches', () => {
  it('accepts exactly the token, and nothing shorter, longer or empty', () => {
    expect(bearerTokenMatches('Bearer metrics-token-1234', 'metrics-token-1234')).toBe(true);
    expect(bearerTokenMatches('Bearer metrics-token-123', 'metrics-token-1234')).toBe(false);
    expect(bearerTokenMatches('Bearer metrics-token-12345', 'metrics-token-1234')).toBe(false);
    expect(bearerTokenMatches('Basic metrics-token-1234', 'metrics-token-1234')).toBe(false);
    expect(bearerTokenMatches(undefined, 'metrics-token-1234')).toBe(false);
    expect(bearerTokenMatches('Bearer ', '')).toBe(false);
  });
});

describe('BasicAuthVerifier', () => {
  const current = { username: 'enfuce-new', password: 'new-password' };
  const previous = { username: 'enfuce-old', password: 'old-password' };

  it('accepts the current and the previous credentials during a rotation', () => {
    expect(new BasicAuthVerifier([current, previous]).matches(basic('enfuce-new:new-password'))).toBe(true);
    expect(new BasicAuthVerifier([current, previous]).matches(basic('enfuce-old:old-password'))).toBe(true);
  });

  it('refuses a mix of one pair’s user and the other’s password, and the old pair once it is removed', () => {
    expect(new BasicAuthVerifier([current, previous]).matches(basic('enfuce-new:old-password'))).toBe(false);
    expect(new BasicAuthVerifier([current]).matches(basic('enfuce-old:old-password'))).toBe(false);
    expect(new BasicAuthVerifier([current, previous]).matches(undefined)).toBe(false);
  });
});
