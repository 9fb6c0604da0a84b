import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AssentError, ErrorKind, parseOrReject } from '@assent/domain';
import { institutionFromCallbackUrl, webhookBodySchema, webhookParamsSchema } from './webhook-request';

// The §1 example of the shared contract (../shared/contract.md from the repository
// root). It is read from there when the contract sits beside the checkout, so this
// test follows the contract; the copy below is used only where it does not.
const CONTRACT_PATH = join(__dirname, '../../../../shared/contract.md');
const EXAMPLE_COPY = {
  callbackUrl: 'https://id.enfuce.com/v1/callback/mycompany/392492402/5d3a3e10-b511-42cd-b9b6-1f2a5701ba98',
  transaction: {
    type: 'PAYMENT',
    cardId: '801476123',
    cardNumber: '342170______9554',
    timestamp: '2026-11-22T10:15:30Z',
    amount: { amount: 3.14, currency: 'EUR' },
  },
  merchant: {
    description: 'Airline ticket',
    name: 'Airline of the world inc.',
    country: 'FIN',
    url: 'https://www.airline.com/order/64674',
  },
};

function contractExample(): Record<string, any> {
  if (!existsSync(CONTRACT_PATH)) return structuredClone(EXAMPLE_COPY);
  const contract = readFileSync(CONTRACT_PATH, 'utf8');
  const section = contract.slice(contract.indexOf('## 1.'));
  const json = /```json\n([\s\S]*?)```/.exec(section);
  if (!json) throw new Error('no JSON example in contract §1');
  return JSON.parse(json[1]);
}

const clone = <T>(value: T): T => structuredClone(value);

function rejectionOf(body: unknown): AssentError {
  try {
    parseOrReject(webhookBodySchema, body);
  } catch (error) {
    return error as AssentError;
  }
  throw new Error('the body was accepted');
}

describe('webhookBodySchema', () => {
  it('accepts the contract §1 example and keeps its fields', () => {
    const example = contractExample();
    const parsed = webhookBodySchema.parse(example);
    expect(parsed).toEqual(example);
    expect(parsed.transaction.amount).toEqual({ amount: 3.14, currency: 'EUR' });
    expect(parsed.merchant.name).toBe('Airline of the world inc.');
    expect(parsed.transaction.cardNumber).toBe('342170______9554');
  });

  it('accepts a body with only the required fields', () => {
    const example = contractExample();
    const minimal = {
      callbackUrl: example.callbackUrl,
      transaction: { amount: { amount: 10, currency: 'EUR' } },
      merchant: { name: 'Shop' },
    };
    expect(webhookBodySchema.parse(minimal)).toEqual(minimal);
  });

  it('tolerates unknown fields at every level and drops them', () => {
    const body = clone(contractExample());
    body.somethingNew = { nested: true };
    body.transaction.extra = 'x';
    body.transaction.amount.minorUnits = 2;
    body.merchant.mcc = '4511';
    const parsed = webhookBodySchema.parse(body) as Record<string, any>;
    expect(parsed).toEqual(contractExample());
    expect(parsed).not.toHaveProperty('somethingNew');
    expect(parsed.transaction).not.toHaveProperty('extra');
    expect(parsed.transaction.amount).not.toHaveProperty('minorUnits');
    expect(parsed.merchant).not.toHaveProperty('mcc');
  });

  it('requires callbackUrl', () => {
    const body = clone(contractExample());
    delete body.callbackUrl;
    const error = rejectionOf(body);
    expect(error.kind).toBe(ErrorKind.Validation);
    expect(error.reason).toBe('$.callbackUrl');
  });

  it('requires transaction.amount', () => {
    const body = clone(contractExample());
    delete body.transaction.amount;
    expect(rejectionOf(body).reason).toBe('$.transaction.amount');
  });

  it('requires merchant.name', () => {
    const body = clone(contractExample());
    delete body.merchant.name;
    expect(rejectionOf(body).reason).toBe('$.merchant.name');
  });

  it('refuses a blank merchant name', () => {
    const body = clone(contractExample());
    body.merchant.name = '   ';
    expect(rejectionOf(body).reason).toBe('$.merchant.name');
  });

  it('rejects a lowercase currency', () => {
    const body = clone(contractExample());
    body.transaction.amount.currency = 'eur';
    const error = rejectionOf(body);
    expect(error.reason).toBe('$.transaction.amount.currency');
  });

  it('rejects a negative amount', () => {
    const body = clone(contractExample());
    body.transaction.amount.amount = -0.01;
    expect(rejectionOf(body).reason).toBe('$.transaction.amount.amount');
  });

  it('accepts a zero amount', () => {
    const body = clone(contractExample());
    body.transaction.amount.amount = 0;
    expect(webhookBodySchema.parse(body).transaction.amount.amount).toBe(0);
  });

  it('rejects an amount given as a string', () => {
    const body = clone(contractExample());
    body.transaction.amount.amount = '3.14';
    expect(rejectionOf(body).reason).toBe('$.transaction.amount.amount');
  });

  it('masks a full card number', () => {
    const body = clone(contractExample());
    body.transaction.cardNumber = '4111111111111111';
    expect(webhookBodySchema.parse(body).transaction.cardNumber).toBe('411111______1111');
  });

  it('masks a full card number written with spaces', () => {
    const body = clone(contractExample());
    body.transaction.cardNumber = '4111 1111 1111 1111';
    expect(webhookBodySchema.parse(body).transaction.cardNumber).toBe('411111______1111');
  });

  it('rejects a card number with letters other than masking characters', () => {
    const body = clone(contractExample());
    body.transaction.cardNumber = '4111abcd11111111';
    expect(rejectionOf(body).reason).toBe('$.transaction.cardNumber');
  });
});

describe('webhookParamsSchema', () => {
  it('accepts the contract customer number and a UUID session id', () => {
    const params = { customerNumber: '392492402', sessionId: '5d3a3e10-b511-42cd-b9b6-1f2a5701ba98' };
    expect(webhookParamsSchema.parse(params)).toEqual(params);
  });

  it('rejects a session id that is not a UUID', () => {
    expect(webhookParamsSchema.safeParse({ customerNumber: '392492402', sessionId: 'not-a-uuid' }).success).toBe(false);
  });
});

describe('institutionFromCallbackUrl', () => {
  const BASE = 'https://id.enfuce.com/v1/callback';
  const SESSION = '5d3a3e10-b511-42cd-b9b6-1f2a5701ba98';
  const expected = { customerNumber: '392492402', sessionId: SESSION };
  const good = `${BASE}/mycompany/392492402/${SESSION}`;

  function rejects(callbackUrl: string, base = BASE, request = expected): AssentError {
    try {
      institutionFromCallbackUrl(callbackUrl, base, request);
    } catch (error) {
      return error as AssentError;
    }
    throw new Error(`${callbackUrl} was accepted`);
  }

  it('returns the institution code of a URL under the base that names this request', () => {
    expect(institutionFromCallbackUrl(good, BASE, expected)).toBe('mycompany');
  });

  it('accepts the contract §1 example callbackUrl', () => {
    expect(institutionFromCallbackUrl(contractExample().callbackUrl, BASE, expected)).toBe('mycompany');
  });

  it('reports a rejection as a validation error on $.callbackUrl', () => {
    const error = rejects(`https://evil.example/v1/callback/mycompany/392492402/${SESSION}`);
    expect(error).toBeInstanceOf(AssentError);
    expect(error.kind).toBe(ErrorKind.Validation);
    expect(error.errorCode).toBe('CALLBACK_URL_NOT_ALLOWED');
    expect(error.reason).toBe('$.callbackUrl');
  });

  it('rejects something that is not a URL', () => {
    expect(rejects('not a url').reason).toBe('$.callbackUrl');
    expect(rejects('/v1/callback/mycompany/392492402/' + SESSION).reason).toBe('$.callbackUrl');
  });

  it('rejects another origin', () => {
    rejects(`https://id.enfuce.com.evil.example/v1/callback/mycompany/392492402/${SESSION}`);
    rejects(`https://evil.example/v1/callback/mycompany/392492402/${SESSION}`);
    rejects(`https://api.id.enfuce.com/v1/callback/mycompany/392492402/${SESSION}`);
  });

  it('rejects another scheme', () => {
    rejects(`http://id.enfuce.com/v1/callback/mycompany/392492402/${SESSION}`);
  });

  it('rejects another port', () => {
    rejects(`https://id.enfuce.com:8443/v1/callback/mycompany/392492402/${SESSION}`);
  });

  it('rejects a path outside the base that merely starts with the same characters', () => {
    rejects(`https://id.enfuce.com/v1/callbackX/mycompany/392492402/${SESSION}`);
    rejects(`https://id.enfuce.com/v1/mycompany/392492402/${SESSION}/x`);
    rejects(`https://id.enfuce.com/v1/callback`);
  });

  it('rejects a path that climbs out of the base with dot segments', () => {
    rejects(`https://id.enfuce.com/v1/callback/../admin/392492402/${SESSION}`);
    rejects(`https://id.enfuce.com/v1/callback/%2e%2e/admin/392492402/${SESSION}`);
  });

  it('rejects another customer number', () => {
    rejects(`${BASE}/mycompany/392492403/${SESSION}`);
  });

  it('rejects another session id', () => {
    rejects(`${BASE}/mycompany/392492402/5d3a3e10-b511-42cd-b9b6-1f2a5701ba99`);
  });

  it('compares the session id case-insensitively', () => {
    expect(institutionFromCallbackUrl(`${BASE}/mycompany/392492402/${SESSION.toUpperCase()}`, BASE, expected)).toBe('mycompany');
    expect(institutionFromCallbackUrl(good, BASE, { ...expected, sessionId: SESSION.toUpperCase() })).toBe('mycompany');
  });

  it('rejects an extra segment', () => {
    rejects(`${BASE}/mycompany/392492402/${SESSION}/extra`);
    rejects(`${BASE}/extra/mycompany/392492402/${SESSION}`);
  });

  it('rejects a trailing slash or an empty segment', () => {
    rejects(`${good}/`);
    rejects(`${BASE}//392492402/${SESSION}`);
    rejects(`${BASE}/mycompany//392492402/${SESSION}`);
  });

  it('rejects a missing segment', () => {
    rejects(`${BASE}/392492402/${SESSION}`);
  });

  it('rejects a query string', () => {
    rejects(`${good}?x=1`);
  });

  it('rejects a fragment', () => {
    rejects(`${good}#x`);
  });

  it('rejects userinfo', () => {
    rejects(`https://user@id.enfuce.com/v1/callback/mycompany/392492402/${SESSION}`);
    rejects(`https://user:pw@id.enfuce.com/v1/callback/mycompany/392492402/${SESSION}`);
    rejects(`https://:pw@id.enfuce.com/v1/callback/mycompany/392492402/${SESSION}`);
  });

  it('rejects percent-encoded slashes that would merge or split segments', () => {
    rejects(`${BASE}/my%2Fcompany/392492402/${SESSION}`);
    rejects(`${BASE}/mycompany/392492402%2F${SESSION}`);
    rejects(`${BASE}/mycompany%2F392492402%2F${SESSION}`);
    rejects(`${BASE}/mycompany/392492402/${SESSION}%2F`);
    rejects(`${BASE}/mycompany/392492402/${SESSION}%2Fextra`);
    rejects(`${BASE}/..%2F..%2Fadmin/392492402/${SESSION}`);
    rejects(`${BASE}/mycompany%252F/392492402/${SESSION}`);
  });

  it('rejects an institution code with characters outside letters, digits, _ and -', () => {
    rejects(`${BASE}/my.company/392492402/${SESSION}`);
    rejects(`${BASE}/my%20company/392492402/${SESSION}`);
    rejects(`${BASE}/${'a'.repeat(65)}/392492402/${SESSION}`);
  });

  it('rejects a malformed percent-encoding', () => {
    rejects(`${BASE}/my%ZZcompany/392492402/${SESSION}`);
    rejects(`${BASE}/mycompany%/392492402/${SESSION}`);
  });

  it('works with a base URL that ends with a slash', () => {
    expect(institutionFromCallbackUrl(good, `${BASE}/`, expected)).toBe('mycompany');
    expect(institutionFromCallbackUrl(good, `${BASE}//`, expected)).toBe('mycompany');
    rejects(`https://id.enfuce.com/v1/callbackX/mycompany/392492402/${SESSION}`, `${BASE}/`);
  });

  it('works with a local http base with a port, as in development', () => {
    const devBase = 'http://localhost:4000/v1/callback';
    expect(institutionFromCallbackUrl(`http://localhost:4000/v1/callback/inst_1/392492402/${SESSION}`, devBase, expected)).toBe('inst_1');
    rejects(`http://localhost:4001/v1/callback/inst_1/392492402/${SESSION}`, devBase);
  });
});
