import { areqErro, areqSchema, erro, ERROR_CODES } from './messages';

function problemsOf(body: Record<string, unknown>) {
  const parsed = areqSchema.safeParse(body);
  if (parsed.success) throw new Error('the AReq was accepted');
  return areqErro(body, parsed.error.issues);
}

const VALID = {
  messageVersion: '2.2.0',
  messageCategory: '01',
  deviceChannel: '02',
  acctNumber: '4000000000001000',
  cardExpiryDate: '3512',
  purchaseAmount: '2490',
  purchaseCurrency: '978',
  purchaseExponent: '2',
  purchaseDate: '20261122101530',
  merchantName: 'Sandbox Shop',
  mcc: '5399',
  merchantCountryCode: '246',
  acquirerBIN: '400551',
  acquirerMerchantID: 'default',
  threeDSRequestorID: 'sandbox-shop',
  threeDSRequestorName: 'Sandbox Shop',
  threeDSRequestorURL: 'http://localhost:4000/',
  threeDSRequestorAuthenticationInd: '01',
  threeDSCompInd: 'U',
  notificationURL: 'http://localhost:4000/shop/challenge-return',
  browserAcceptHeader: 'text/html',
  browserUserAgent: 'Mozilla/5.0',
  browserJavascriptEnabled: true,
  browserLanguage: 'en-GB',
};

describe('AReq validation', () => {
  it('accepts a complete browser AReq and keeps elements it does not know', () => {
    expect(areqSchema.parse({ ...VALID, browserTZ: '-120' })).toMatchObject({ browserTZ: '-120' });
  });

  it('reports every missing element as 201, even when others are malformed too', () => {
    const { purchaseAmount, mcc, ...rest } = VALID;
    expect([purchaseAmount, mcc]).toHaveLength(2);
    expect(problemsOf({ ...rest, purchaseCurrency: 'EUR' })).toMatchObject({ errorCode: '201', errorDetail: 'purchaseAmount,mcc', errorMessageType: 'AReq' });
  });

  it('reports malformed elements as 203, each named once', () => {
    expect(problemsOf({ ...VALID, purchaseCurrency: 'EUR', cardExpiryDate: '3513' })).toMatchObject({ errorCode: '203', errorDetail: 'cardExpiryDate,purchaseCurrency' });
  });

  it('reports an unsupported messageVersion as 102 with the supported versions', () => {
    expect(problemsOf({ ...VALID, messageVersion: '2.3.1' })).toMatchObject({ errorCode: '102', errorDetail: '2.1.0,2.2.0' });
  });

  it('refuses the app channel, which needs an SDK the sandbox does not have', () => {
    expect(problemsOf({ ...VALID, deviceChannel: '01' })).toMatchObject({ errorCode: '203', errorDetail: 'deviceChannel' });
  });
});

describe('erro', () => {
  it('builds the Erro message of seed 001, with the transaction id when there is one', () => {
    expect(erro(ERROR_CODES.systemConnectionFailure, 'Connection timeout', { errorMessageType: 'AReq', messageVersion: '2.1.0', threeDSServerTransID: 'id-1' })).toEqual({
      errorCode: '405',
      errorComponent: 'S',
      errorDescription: 'Unable to contact Directory Server',
      errorDetail: 'Connection timeout',
      errorMessageType: 'AReq',
      messageType: 'Erro',
      messageVersion: '2.1.0',
      threeDSServerTransID: 'id-1',
    });
  });
});
