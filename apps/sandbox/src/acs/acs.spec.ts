import { AuthenticationResult } from '@assent/domain';
import { transStatusOf } from './acs';

describe('transStatusOf', () => {
  it('maps Enfuce ID’s results to EMV transStatus and reason codes', () => {
    expect(transStatusOf({ result: AuthenticationResult.Success, source: 'callback' })).toEqual({ transStatus: 'Y' });
    expect(transStatusOf({ result: AuthenticationResult.Fail, source: 'callback' })).toEqual({ transStatus: 'N', transStatusReason: '01' });
    expect(transStatusOf({ result: AuthenticationResult.Timeout, source: 'deadline' })).toEqual({ transStatus: 'U', transStatusReason: '14' });
    expect(transStatusOf({ result: AuthenticationResult.Error, source: 'callback' })).toEqual({ transStatus: 'U', transStatusReason: '22' });
  });

  it('says "cardholder not enrolled in service" when the authenticator knew no device for the cardholder', () => {
    expect(transStatusOf({ result: AuthenticationResult.Error, source: 'webhook', webhookStatus: 404 })).toEqual({ transStatus: 'U', transStatusReason: '13' });
  });
});
