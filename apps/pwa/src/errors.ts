import { ApiError, OfflineError } from './api';
import type { MessageKey } from './messages';

/** What went wrong, as a sentence a cardholder understands, and the service's error id when there is one to quote. */
export interface Problem {
  message: MessageKey;
  reference?: string;
}

// The service's stable error codes (its errorResponse.errorCode) that a cardholder can act on.
const BY_ERROR_CODE: Record<string, MessageKey> = {
  ACTIVATION_CODE_INVALID: 'errorActivationCode',
  REGISTRATION_NOT_STARTED: 'errorRegistrationExpired',
  REGISTRATION_REJECTED: 'errorPasskeyRejected',
  DEVICE_LIMIT_REACHED: 'errorDeviceLimit',
  CREDENTIAL_EXISTS: 'errorCredentialExists',
  ASSERTION_REJECTED: 'errorApprovalRejected',
  SESSION_NOT_FOUND: 'notFoundText',
  INVALID_DEVICE_TOKEN: 'revokedText',
  PUSH_ENDPOINT_NOT_ALLOWED: 'pushFixRefused',
};

// The browser's own WebAuthn errors (DOMException names).
const BY_WEBAUTHN_ERROR: Record<string, MessageKey> = {
  NotAllowedError: 'errorPasskeyCancelled',
  AbortError: 'errorPasskeyCancelled',
  InvalidStateError: 'errorPasskeyExists',
  NotSupportedError: 'errorPasskeyUnsupported',
  SecurityError: 'errorPasskeyUnsupported',
  ConstraintError: 'errorPasskeyUnsupported',
};

/** `fallback` words an error nobody foresaw, in the terms of what was being done. */
export function describeError(error: unknown, fallback: MessageKey = 'errorUnexpected'): Problem {
  if (error instanceof OfflineError) return { message: 'errorOffline' };
  if (error instanceof ApiError) {
    const known = BY_ERROR_CODE[error.errorCode];
    if (known) return { message: known };
    if (error.status === 503) return { message: 'errorUnavailable' };
    if (error.status >= 400 && error.status < 500) return { message: 'errorBadRequest', reference: error.errorId };
    return { message: 'errorUnexpected', reference: error.errorId };
  }
  // By name, not instanceof: a DOMException may come from another realm.
  const name = (error as { name?: unknown } | null)?.name;
  if (typeof name === 'string' && Object.hasOwn(BY_WEBAUTHN_ERROR, name)) return { message: BY_WEBAUTHN_ERROR[name] };
  return { message: fallback };
}
