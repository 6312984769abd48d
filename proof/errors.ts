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

/**
 * The chain could not be read: unreachable, too slow, or its answer made no sense. The one error
 * for that everywhere — the proof core's readers, the service's anchoring and the CLI — so that a
 * caller asks `instanceof ChainUnavailableError` (or `code === 'CHAIN_UNAVAILABLE'`) and nothing
 * else. It says nothing about the bundle: retry later, or against another node.
 */
export class ChainUnavailableError extends ProofError {
  declare readonly code: 'CHAIN_UNAVAILABLE';

  constructor(message: string, options: { cause?: unknown } = {}) {
    super('CHAIN_UNAVAILABLE', message, options);
    this.name = 'ChainUnavailableError';
  }
}

export function invariant(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`ordertrace proof core invariant failed: ${message}`);
}
