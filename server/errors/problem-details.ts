import { ErrorCode, type ProblemExtensions } from './domain-error';

/** An RFC 9457 problem details body (application/problem+json). */
export interface ProblemDetails extends ProblemExtensions {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  code: string;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** HTTP status and title of each code; `never` makes a code without mapping a compile error. */
export function describeErrorCode(code: ErrorCode): { status: number; title: string } {
  switch (code) {
    case ErrorCode.VALIDATION_FAILED:
      return { status: 400, title: 'Invalid request' };
    case ErrorCode.MALFORMED_JSON:
      return { status: 400, title: 'Malformed JSON body' };
    case ErrorCode.PAYLOAD_TOO_LARGE:
      return { status: 413, title: 'Request body too large' };
    case ErrorCode.UNSUPPORTED_MEDIA_TYPE:
      return { status: 415, title: 'Unsupported media type' };
    case ErrorCode.UNAUTHENTICATED:
      return { status: 401, title: 'Authentication required' };
    case ErrorCode.FORBIDDEN:
      return { status: 403, title: 'Not allowed' };
    case ErrorCode.ADMIN_API_DISABLED:
      return { status: 403, title: 'Admin API disabled' };
    case ErrorCode.BRAND_NOT_FOUND:
      return { status: 404, title: 'Brand not found' };
    case ErrorCode.API_KEY_NOT_FOUND:
      return { status: 404, title: 'API key not found' };
    case ErrorCode.GRANT_NOT_FOUND:
      return { status: 404, title: 'Grant not found' };
    case ErrorCode.UNKNOWN_ROLE:
      return { status: 422, title: 'Unknown role' };
    case ErrorCode.ORDER_NOT_FOUND:
      return { status: 404, title: 'Order not found' };
    case ErrorCode.BATCH_NOT_FOUND:
      return { status: 404, title: 'Batch not found' };
    case ErrorCode.WEBHOOK_NOT_FOUND:
      return { status: 404, title: 'Webhook not found' };
    case ErrorCode.WEBHOOK_DELIVERY_NOT_FOUND:
      return { status: 404, title: 'Webhook delivery not found' };
    case ErrorCode.BRAND_SLUG_TAKEN:
      return { status: 409, title: 'Brand slug already taken' };
    case ErrorCode.ORDER_REFERENCE_TAKEN:
      return { status: 409, title: 'Order reference already used' };
    case ErrorCode.ILLEGAL_TRANSITION:
      return { status: 409, title: 'Illegal lifecycle transition' };
    case ErrorCode.RESERVED_FIELD_NAME:
      return { status: 422, title: 'Reserved field name' };
    case ErrorCode.ORDER_ERASED:
      return { status: 409, title: "The order's private fields were erased" };
    case ErrorCode.CHANGE_REQUESTS_CLOSED:
      return { status: 409, title: 'Changes can no longer be requested' };
    case ErrorCode.CHANGE_REQUEST_PENDING:
      return { status: 409, title: 'A request of this kind is already pending' };
    case ErrorCode.CHANGE_REQUEST_NOT_PENDING:
      return { status: 409, title: 'No such pending change request' };
    case ErrorCode.HOLD_PENDING:
      return { status: 409, title: 'The consumer asked to hold the parcel' };
    case ErrorCode.IDEMPOTENCY_KEY_REUSED:
      return { status: 422, title: 'Idempotency key reused with a different request' };
    case ErrorCode.DATABASE_UNAVAILABLE:
      return { status: 503, title: 'Database unavailable' };
    case ErrorCode.INGEST_BUSY:
      return { status: 503, title: 'Too many writes waiting' };
    case ErrorCode.RATE_LIMITED:
      return { status: 429, title: 'Too many requests' };
    case ErrorCode.CHAIN_UNAVAILABLE:
      return { status: 503, title: 'Chain unavailable' };
    case ErrorCode.EPCIS_INVALID:
      return { status: 400, title: 'Not an EPCIS 2.0 document' };
    case ErrorCode.EPCIS_UNMAPPED:
      return { status: 422, title: 'EPCIS events that map to no order event' };
    default: {
      const unmapped: never = code;
      throw new Error(`no HTTP mapping for error code ${String(unmapped)}`);
    }
  }
}

export function problemType(code: string): string {
  return `urn:ordertrace:problem:${code.toLowerCase().replace(/_/g, '-')}`;
}
