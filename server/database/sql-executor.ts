import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

/** What a statement returns, the same on `pg` and on PGlite. */
export interface SqlResult<T> {
  rows: T[];
  rowCount: number;
}

/**
 * A statement that each PostgreSQL connection parses and plans once and then keeps: for the fixed
 * statements every write group runs. Its text never varies (one name, one text), since each stays
 * in its connection's memory. PGlite runs the text as it is.
 */
export interface PreparedSql {
  readonly name: string;
  readonly text: string;
}

/**
 * One database session inside a transaction. Statements run in the order they are issued; on
 * PostgreSQL each is sent without waiting for the answers to those before it (pg's pipeline mode).
 */
export interface SqlSession {
  query<T = Record<string, unknown>>(sql: string | PreparedSql, params?: unknown[]): Promise<SqlResult<T>>;
  /**
   * A statement whose answer nobody reads. It is sent at once and answered by the commit: the
   * transaction commits after it, or fails, rolled back, with its error. The statements that close
   * a transaction go this way, so that they travel with its COMMIT in one round trip.
   */
  send(sql: string | PreparedSql, params?: unknown[]): void;
}

interface DriverResult {
  rows: unknown[];
  rowCount: number | null;
}

/** The driver's own client beneath TypeORM: a `pg` PoolClient, or our PGlite session client. */
interface DriverClient {
  /**
   * With a callback: `pg` calls it at once, inside this call, for a statement whose parameters
   * cannot be sent, and may call it a second time when that statement's Sync is answered.
   */
  query(
    sql: string | { name: string; text: string; values?: unknown[] },
    params: unknown[] | undefined,
    callback: (err: Error | null, result?: DriverResult) => void,
  ): unknown;
  /** `pg` only: send each query without waiting for the answers to those before it. */
  pipeline?: boolean;
  /** `pg` clients emit connection errors as events; PGlite's client has no such method. */
  on?(event: 'error', listener: (err: Error) => void): unknown;
  removeListener?(event: 'error', listener: (err: Error) => void): unknown;
}

/** TypeORM's postgres driver hands out its pool's clients with this (public, undocumented) method. */
interface PoolingDriver {
  obtainMasterConnection(): Promise<[DriverClient, (err?: Error) => void]>;
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
    // pg answers pipelined queries in order, each with its own Sync. PGlite's client makes no such
    // promise, so there each statement waits for the one before it.
    const pipelined = typeof client.pipeline === 'boolean';
    if (pipelined) client.pipeline = true;
    /** The first statement to fail, once one has. */
    const first: { failure?: { error: unknown } } = {};
    const failure = (): { error: unknown } | undefined => first.failure;
    const run = (sql: string | PreparedSql, params?: unknown[]): Promise<DriverResult> =>
      new Promise((resolve, reject) => {
        let called = false;
        // pg keeps a named statement on its connection; PGlite runs the text.
        const statement = typeof sql === 'string' ? sql : pipelined ? { name: sql.name, text: sql.text, values: params } : sql.text;
        client.query(statement, typeof statement === 'string' ? params : undefined, (err, result) => {
          if (called) return;
          called = true;
          if (err !== null) {
            first.failure ??= { error: err };
            reject(err);
          } else resolve(result!);
        });
      });
    let tail: Promise<unknown> = Promise.resolve();
    /** One promise per statement sent, settled when it has answered; none rejects. */
    const answered: Promise<unknown>[] = [];
    /** `unlessFailed`: not at all once a statement before it has failed. */
    const send = (sql: string | PreparedSql, params?: unknown[], unlessFailed = false): Promise<DriverResult> => {
      const start = (): Promise<DriverResult> => {
        if (unlessFailed && failure() !== undefined) return Promise.reject(new Error('not sent: a statement before it failed'));
        return run(sql, params);
      };
      const result = pipelined ? start() : tail.then(start);
      tail = result.then(
        () => undefined,
        () => undefined,
      );
      answered.push(tail);
      return result;
    };
    const session: SqlSession = {
      query: async <R>(sql: string | PreparedSql, params?: unknown[]) => {
        const result = await send(sql, params);
        return { rows: result.rows as R[], rowCount: result.rowCount ?? result.rows.length };
      },
      send: (sql, params) => void send(sql, params),
    };
    const release = (err?: Error): void => {
      if (pipelined) client.pipeline = false;
      client.removeListener?.('error', onError);
      releaseToPool(err ?? lost ?? undefined);
    };
    try {
      void send('BEGIN');
      const value = await work(session);
      // COMMIT goes at once, behind whatever is still in flight: after a statement the server
      // refused, it rolls back instead. Never after one that failed before it reached the server
      // (its parameters could not be sent): that has not aborted the transaction there.
      void send('COMMIT', undefined, true);
      await Promise.all(answered);
      const failed = failure();
      if (failed !== undefined) throw failed.error;
      release();
      return value;
    } catch (e) {
      await Promise.all(answered);
      const error = failure()?.error ?? e;
      // Whether or not a COMMIT ended the transaction already (a ROLLBACK then only draws a warning),
      // a connection that answers the ROLLBACK is fit for the next one. The pool drops a client
      // released with an error: it may have lost its connection.
      const rolledBack = await send('ROLLBACK').then(
        () => true,
        () => false,
      );
      release(rolledBack ? undefined : error instanceof Error ? error : new Error('rollback failed'));
      throw error;
    }
  }
}
