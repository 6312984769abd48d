/**
 * Which failures mean "the database is gone" (503, nothing stored) and which the server reported
 * (the connection stays usable). A socket's errors are made here as Node makes them: a lost
 * connection cannot be made to fail a write at a chosen moment.
 */
import { DatabaseError } from 'pg';
import { QueryFailedError } from 'typeorm';
import { isDatabaseUnavailable, isRetryableConflict, isServerError } from '../../server/database/postgres-errors';

function socketError(code: string, syscall: string): Error {
  return Object.assign(new Error(`${syscall} ${code}`), { code, errno: -32, syscall });
}

function serverError(code: string, message: string): DatabaseError {
  const e = new DatabaseError(message, message.length, 'error');
  e.code = code;
  e.severity = 'ERROR';
  return e;
}

describe('PostgreSQL failures', () => {
  it('a socket error is the database going away, never a server error, though EPIPE looks like a SQLSTATE', () => {
    for (const [code, syscall] of [
      ['EPIPE', 'write'],
      ['ECONNRESET', 'read'],
      ['ECONNREFUSED', 'connect'],
    ]) {
      const e = socketError(code, syscall);
      expect(isDatabaseUnavailable(e)).toBe(true);
      expect(isServerError(e)).toBe(false);
    }
  });

  it('a server error keeps its meaning: connection classes are unavailable, the rest are not', () => {
    expect(isDatabaseUnavailable(serverError('57P01', 'terminating connection due to administrator command'))).toBe(true);
    expect(isDatabaseUnavailable(serverError('08006', 'connection failure'))).toBe(true);
    expect(isDatabaseUnavailable(serverError('23505', 'duplicate key'))).toBe(false);
    expect(isServerError(serverError('23505', 'duplicate key'))).toBe(true);
    expect(isServerError(new QueryFailedError('SELECT 1', [], serverError('42703', 'no such column')))).toBe(true);
    expect(isRetryableConflict(serverError('40001', 'could not serialize'))).toBe(true);
    expect(isRetryableConflict(socketError('EPIPE', 'write'))).toBe(false);
  });

  it('pg losing the connection is unavailable by its message', () => {
    expect(isDatabaseUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isDatabaseUnavailable(new Error('Client has encountered a connection error and is not queryable'))).toBe(true);
    expect(isDatabaseUnavailable(new Error('planning failed'))).toBe(false);
  });
});
