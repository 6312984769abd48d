import { QueryFailedError } from 'typeorm';

/** PostgreSQL's unique_violation, from `pg` and PGlite alike; optionally of one named constraint. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const driverError = error.driverError as { code?: string; constraint?: string } | undefined;
  if (driverError?.code !== '23505') return false;
  return constraint === undefined || driverError.constraint === constraint;
}

function sqlState(error: unknown): string | undefined {
  const e: unknown = error instanceof QueryFailedError ? error.driverError : error;
  const code = (e as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * A failure the server reported (a SQLSTATE with a severity), after which the connection is still
 * usable. The socket's own errors carry codes too, and some look like a SQLSTATE (EPIPE).
 */
export function isServerError(error: unknown): boolean {
  const e: unknown = error instanceof QueryFailedError ? error.driverError : error;
  const code = sqlState(e);
  return code !== undefined && /^[0-9A-Z]{5}$/.test(code) && typeof (e as { severity?: unknown }).severity === 'string';
}

/**
 * The database cannot be reached or is going away: connection refused or lost, the server
 * shutting down or restarting, a session terminated, too many connections. Nothing of the
 * transaction was stored; retrying later is right.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const code = sqlState(error);
  if (code !== undefined && /^(ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND)$/.test(code)) return true;
  if (code !== undefined && isServerError(error)) {
    // 08: connection exception; 57P01-57P03: admin shutdown, crash shutdown, cannot connect now; 53300: too many connections.
    return code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03' || code === '53300';
  }
  const message = error instanceof Error ? error.message : '';
  return /Connection terminated|Client has encountered a connection error|timeout exceeded when trying to connect|Client was closed|not queryable/i.test(
    message,
  );
}

/** Conflicts that a fresh attempt of the same transaction resolves: unique races, serialization, deadlock. */
export function isRetryableConflict(error: unknown): boolean {
  const code = sqlState(error);
  return code === '23505' || code === '40001' || code === '40P01';
}

/** PostgreSQL's invalid_parameter_value, which is how it refuses a time zone name it does not know. */
export function isInvalidParameterValue(error: unknown): boolean {
  return sqlState(error) === '22023';
}
