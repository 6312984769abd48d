/**
 * Expected failures of a command: the user's input or the outside world, never our own defects.
 * Commands throw these; cli/main.ts maps the code to an exit code and prints the message as one line.
 * An unreadable chain is the proof core's ChainUnavailableError, whichever command meets it.
 */
export type CliErrorCode =
  /** Wrong arguments or options. */
  | 'USAGE'
  /** An input file or stream that cannot be read or is not what it should be. */
  | 'INPUT'
  /** PostgreSQL did not answer. */
  | 'DATABASE_UNREACHABLE'
  /** The ordertrace API did not answer. */
  | 'API_UNREACHABLE'
  /** The ordertrace API answered with an error (unknown order, bad key, …). */
  | 'API_REJECTED'
  /** An output file could not be written. */
  | 'OUTPUT';

export class CliError extends Error {
  readonly code: CliErrorCode;

  constructor(code: CliErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message);
    this.name = 'CliError';
    this.code = code;
    if (options.cause !== undefined) (this as { cause?: unknown }).cause = options.cause;
  }
}
