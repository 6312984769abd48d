import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

/** What a statement returns, the same on `pg` and on PGlite. */
export interface SqlResult<T> {
  rows: T[];
  rowCount: number;
}

/** One database session inside a transaction. */
export interface SqlSession {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<SqlResult<T>>;
}

/** The driver's own client beneath TypeORM: a `pg` PoolClient, or our PGlite session client. */
interface DriverClient {
  query(sql: string, params?: unknown[]): Promise<{ rows: unknown[]; rowCount: number | null }>;
  /** `pg` clients emit connection errors as events; PGlite's client has no such method. */
  on?(event: 'error', listener: (err: Error) => void): unknown;
  removeListener?(event: 'error', listener: (err: Error) => void): unknown;
}

/** TypeORM's postgres driver hands out its pool's clients with this (public, undocumented) method. */
interface PoolingDriver {
  obtainMasterConnection(): Promise<[DriverClient, (err?: Error) => void]>;
}

/** A failure of the server (with a SQLSTATE) leaves the connection usable; anything else may not. */
function isServerError(e: unknown): boolean {
  return typeof (e as { code?: unknown } | null)?.code === 'string' && /^[0-9A-Z]{5}$/.test((e as { code: string }).code);
}

/**
 * Transactions for the ingest hot path on the driver's client directly, beneath TypeORM's query
 * runner (which adds work per statement that a group of hundreds of events does not need). The
 * client comes from TypeORM's own pool, so the embedded PGlite default and PostgreSQL share this
 * path and PGlite's one session is lent out exactly as for every other query.
 */
@Injectable()
export class SqlExecutor {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async transaction<T>(work: (session: SqlSession) => Promise<T>): Promise<T> {
    const [client, releaseToPool] = await (this.dataSource.driver as unknown as PoolingDriver).obtainMasterConnection();
    // The pool listens for errors of idle clients only. A connection lost between two statements of
    // this transaction (its session terminated, the server restarting) is emitted as an event: without
    // a listener it would end the process. The next statement fails with it, and the client is dropped.
    let lost: Error | null = null;
    const onError = (err: Error): void => {
      lost = err;
    };
    client.on?.('error', onError);
    const release = (err?: Error): void => {
      client.removeListener?.('error', onError);
      releaseToPool(err ?? lost ?? undefined);
    };
    const session: SqlSession = {
      query: async <R>(sql: string, params?: unknown[]) => {
        const result = await client.query(sql, params);
        return { rows: result.rows as R[], rowCount: result.rowCount ?? result.rows.length };
      },
    };
    try {
      await client.query('BEGIN');
      const value = await work(session);
      await client.query('COMMIT');
      release();
      return value;
    } catch (e) {
      if (isServerError(e) || !(e instanceof Error)) {
        const rolledBack = await client.query('ROLLBACK').then(
          () => true,
          () => false,
        );
        release(rolledBack ? undefined : new Error('rollback failed'));
      } else {
        // The pool drops a client released with an error: it may have lost its connection.
        release(e);
      }
      throw e;
    }
  }
}
