import { AssentError, ErrorKind } from './errors';

/** The Enfuce errorResponse shape (seed 000), used for every error answered over HTTP. */
export interface ErrorResponse {
  code: string;
  message: string;
  id: string;
  errorCode: string;
  errorType: 'STATIC_VALIDATION_ERROR' | 'DYNAMIC_VALIDATION_ERROR' | 'INTEGRATION_ERROR' | 'SECURITY_ERROR' | 'UNEXPECTED_ERROR';
  errorReason: string;
  timestamp: string;
}

const STATUS_AND_TYPE: Record<ErrorKind, [number, ErrorResponse['errorType']]> = {
  [ErrorKind.Validation]: [400, 'STATIC_VALIDATION_ERROR'],
  [ErrorKind.Invalid]: [400, 'DYNAMIC_VALIDATION_ERROR'],
  [ErrorKind.Unauthenticated]: [401, 'SECURITY_ERROR'],
  [ErrorKind.Forbidden]: [403, 'SECURITY_ERROR'],
  [ErrorKind.NotFound]: [404, 'DYNAMIC_VALIDATION_ERROR'],
  [ErrorKind.Conflict]: [409, 'DYNAMIC_VALIDATION_ERROR'],
  [ErrorKind.PreconditionFailed]: [412, 'DYNAMIC_VALIDATION_ERROR'],
  [ErrorKind.PayloadTooLarge]: [413, 'STATIC_VALIDATION_ERROR'],
  [ErrorKind.TooManyRequests]: [429, 'SECURITY_ERROR'],
  [ErrorKind.Unavailable]: [503, 'INTEGRATION_ERROR'],
  [ErrorKind.Internal]: [500, 'UNEXPECTED_ERROR'],
};

/** The HTTP status and errorResponse body for an error; `id` is the request's log id. */
export function errorResponseOf(error: AssentError, id: string): { status: number; body: ErrorResponse } {
  const [status, errorType] = STATUS_AND_TYPE[error.kind];
  return {
    status,
    body: {
      code: String(status),
      message: error.message,
      id,
      errorCode: error.errorCode,
      errorType,
      errorReason: error.reason ?? error.message,
      timestamp: new Date().toISOString(),
    },
  };
}
