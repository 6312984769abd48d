/**
 * The CLI's exit codes, a public contract scripts rely on. Only cli/main.ts turns outcomes and
 * errors into them.
 */
export const EXIT_CODES = {
  /** The bundle or database verified (or a command that only produces output succeeded). */
  ok: 0,
  /** Verification found tampering or a discrepancy. */
  invalid: 1,
  /** Bad arguments or unreadable/malformed input. */
  usage: 2,
  /** The chain, database or API could not be reached. */
  unreachable: 3,
  /** Valid so far, but some events are not anchored yet. */
  pending: 4,
  /** A defect in ordertrace itself (EX_SOFTWARE); never a verdict about the input. */
  internal: 70,
} as const;

/** What a finished command tells the entry point about its result. */
export type Outcome = 'verified' | 'invalid' | 'pending' | 'done';

export function exitCodeForOutcome(outcome: Outcome): number {
  switch (outcome) {
    case 'verified':
    case 'done':
      return EXIT_CODES.ok;
    case 'invalid':
      return EXIT_CODES.invalid;
    case 'pending':
      return EXIT_CODES.pending;
  }
}
