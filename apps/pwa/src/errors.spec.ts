import { ApiError, OfflineError } from './api';
import { describeError } from './errors';

describe('describeError', () => {
  it('turns the service’s error codes into what the cardholder can do about them', () => {
    expect(describeError(new ApiError(400, 'ACTIVATION_CODE_INVALID', '$.activationCode', 'id-1'))).toEqual({ message: 'errorActivationCode' });
    expect(describeError(new ApiError(409, 'DEVICE_LIMIT_REACHED', '', 'id-2'))).toEqual({ message: 'errorDeviceLimit' });
    expect(describeError(new ApiError(403, 'ASSERTION_REJECTED', '', 'id-3'))).toEqual({ message: 'errorApprovalRejected' });
  });

  it('says "offline" when the service could not be reached, and "try again" when it is unavailable', () => {
    expect(describeError(new OfflineError())).toEqual({ message: 'errorOffline' });
    expect(describeError(new ApiError(503, 'STORE_UNAVAILABLE', '', 'id-4'))).toEqual({ message: 'errorUnavailable' });
  });

  it('quotes the error id of an unexpected failure, for support', () => {
    expect(describeError(new ApiError(500, 'INTERNAL_ERROR', '', 'b1946ac9'))).toEqual({ message: 'errorUnexpected', reference: 'b1946ac9' });
  });

  it('words the browser’s passkey errors, and anything else in the terms of what was being done', () => {
    expect(describeError(new DOMException('cancelled', 'NotAllowedError'))).toEqual({ message: 'errorPasskeyCancelled' });
    expect(describeError(new DOMException('exists', 'InvalidStateError'))).toEqual({ message: 'errorPasskeyExists' });
    expect(describeError(new Error('odd'), 'errorPasskeyFailed')).toEqual({ message: 'errorPasskeyFailed' });
  });
});
