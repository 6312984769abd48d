/**
 * Every failure the service reports on purpose has one of these codes. Services throw
 * DomainError; ProblemDetailsFilter maps each code to its HTTP status in one exhaustive switch,
 * so a new code does not compile until it has a status.
 */
export enum ErrorCode {
  VALIDATION_FAILED = 'VALIDATION_FAILED',
  /** A brand used a field name that ordertrace reserves for itself (`ordertrace:…`). */
  RESERVED_FIELD_NAME = 'RESERVED_FIELD_NAME',
  MALFORMED_JSON = 'MALFORMED_JSON',
  PAYLOAD_TOO_LARGE = 'PAYLOAD_TOO_LARGE',
  UNSUPPORTED_MEDIA_TYPE = 'UNSUPPORTED_MEDIA_TYPE',
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  FORBIDDEN = 'FORBIDDEN',
  ADMIN_API_DISABLED = 'ADMIN_API_DISABLED',
  BRAND_NOT_FOUND = 'BRAND_NOT_FOUND',
  API_KEY_NOT_FOUND = 'API_KEY_NOT_FOUND',
  GRANT_NOT_FOUND = 'GRANT_NOT_FOUND',
  /** A role name that does not exist; the problem lists `validRoles`. */
  UNKNOWN_ROLE = 'UNKNOWN_ROLE',
  ORDER_NOT_FOUND = 'ORDER_NOT_FOUND',
  BATCH_NOT_FOUND = 'BATCH_NOT_FOUND',
  WEBHOOK_NOT_FOUND = 'WEBHOOK_NOT_FOUND',
  WEBHOOK_DELIVERY_NOT_FOUND = 'WEBHOOK_DELIVERY_NOT_FOUND',
  BRAND_SLUG_TAKEN = 'BRAND_SLUG_TAKEN',
  ORDER_REFERENCE_TAKEN = 'ORDER_REFERENCE_TAKEN',
  ILLEGAL_TRANSITION = 'ILLEGAL_TRANSITION',
  /** New private fields for an order whose private fields were erased. */
  ORDER_ERASED = 'ORDER_ERASED',
  /** A change request to an order that is shipped, cancelled or past them. */
  CHANGE_REQUESTS_CLOSED = 'CHANGE_REQUESTS_CLOSED',
  /** A change request of a kind the order already has pending. */
  CHANGE_REQUEST_PENDING = 'CHANGE_REQUEST_PENDING',
  /** An answer naming a seq that is no pending change request of the order. */
  CHANGE_REQUEST_NOT_PENDING = 'CHANGE_REQUEST_NOT_PENDING',
  /** `shipped` while the consumer's hold request is unanswered; the problem names `pendingRequest`. */
  HOLD_PENDING = 'HOLD_PENDING',
  IDEMPOTENCY_KEY_REUSED = 'IDEMPOTENCY_KEY_REUSED',
  DATABASE_UNAVAILABLE = 'DATABASE_UNAVAILABLE',
  INGEST_BUSY = 'INGEST_BUSY',
  RATE_LIMITED = 'RATE_LIMITED',
  /** The answer to ChainUnavailableError (proof/errors.ts), the one error for an unreadable chain. */
  CHAIN_UNAVAILABLE = 'CHAIN_UNAVAILABLE',
  EPCIS_INVALID = 'EPCIS_INVALID',
  EPCIS_UNMAPPED = 'EPCIS_UNMAPPED',
}

/** One offending input field, as a path such as `lineItems[0].quantity` or `Idempotency-Key`. */
export interface FieldProblem {
  field: string;
  message: string;
}

/** RFC 9457 extension members carried to the response as they are (`errors`, `currentState`, …). */
export type ProblemExtensions = { errors?: FieldProblem[] } & Record<string, unknown>;

/**
 * An answer, not a bug: it becomes a problem response and is never logged with a stack
 * (sendProblem logs only unexpected errors). So none is captured: walking the call stack costs
 * more than building the problem, and a flood of bad requests would pay it on every one.
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly extensions: ProblemExtensions = {},
  ) {
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = stackTraceLimit;
    this.name = 'DomainError';
  }
}

/** A validation failure naming its fields. */
export function invalidFields(errors: FieldProblem[], code = ErrorCode.VALIDATION_FAILED): DomainError {
  const detail = errors.map((e) => `${e.field}: ${e.message}`).join('; ');
  return new DomainError(code, detail, { errors });
}

export function invalidField(field: string, message: string): DomainError {
  return invalidFields([{ field, message }]);
}

/** The database cannot be reached: nothing of the request was stored, and it may be retried. */
export function databaseUnavailable(): DomainError {
  return new DomainError(ErrorCode.DATABASE_UNAVAILABLE, 'The database is unavailable; nothing was changed, retry after 1 s', {
    retryAfter: 1,
  });
}
