/**
 * Errors of the proof core. `ProofError` is the caller's fault or the outside world's (bad input,
 * unreachable chain); `invariant` guards our own assumptions. Every error carries a stable code.
 */
export type ProofErrorCode =
  | 'NOT_CANONICALIZABLE'
  | 'INVALID_RECORD'
  | 'INVALID_ARGUMENT'
  | 'MALFORMED_BUNDLE'
  | 'CHAIN_UNAVAILABLE'
  /** A trust file that is not a valid ordertrace-trust/1. */
  | 'INVALID_TRUST'
  /** Two JSON-RPC endpoints of the same chain gave different answers: at least one lies. */
  | 'ENDPOINTS_DISAGREE';

export class ProofError extends Error {
  readonly code: ProofErrorCode;
  /** The offending field, as a JSON path such as `events[3].record.seq`, where one is known. */
  readonly field?: string;
  /** Every problem found, for errors that collect more than one (bundle validation). */
  readonly problems?: string[];

  constructor(code: ProofErrorCode, message: string, options: { field?: string; problems?: string[]; cause?: unknown } = {}) {
    super(message);
    this.name = 'ProofError';
    this.code = code;
    this.field = options.field;
    this.problems = options.problems;
    if (options.cause !== undefined) (this as { cause?: unknown }).cause = options.cause;
  }
}

export function invariant(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`ordertrace proof core invariant failed: ${message}`);
}
