/**
 * The kinds of failure the service reports. Each maps to one HTTP status and one
 * Enfuce errorType (seed 000) in the API's exception filter.
 */
export enum ErrorKind {
  /** The request is malformed (400, STATIC_VALIDATION_ERROR). */
  Validation = 'VALIDATION',
  /** The request is well formed but refers to something not valid now, e.g. a used activation code (400, DYNAMIC_VALIDATION_ERROR). */
  Invalid = 'INVALID',
  Unauthenticated = 'UNAUTHENTICATED',
  Forbidden = 'FORBIDDEN',
  NotFound = 'NOT_FOUND',
  Conflict = 'CONFLICT',
  /** An idempotency key reused with a different request (412, as Google Standard Payments answers it). */
  PreconditionFailed = 'PRECONDITION_FAILED',
  PayloadTooLarge = 'PAYLOAD_TOO_LARGE',
  /** Too many attempts; the answer says when to try again (429, with Retry-After). */
  TooManyRequests = 'TOO_MANY_REQUESTS',
  Unavailable = 'UNAVAILABLE',
  Internal = 'INTERNAL',
}

/** A failure the caller can act on; `errorCode` is stable and documented, `message` is for people. */
export class AssentError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly errorCode: string,
    message: string,
    /** The offending field as a JSON path (`$.transaction.amount.currency`), or another precise reason. */
    readonly reason?: string,
    /** For TooManyRequests: the Retry-After the answer carries. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'AssentError';
  }

  static validation(jsonPath: string, message: string): AssentError {
    return new AssentError(ErrorKind.Validation, 'INVALID_FIELD', message, jsonPath);
  }
}
