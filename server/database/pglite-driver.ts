import { EventEmitter } from 'node:events';
import * as fs from 'node:fs';
import { PGlite, types } from '@electric-sql/pglite';

/**
 * A `pg`-compatible driver for TypeORM's postgres dialect backed by one embedded PGlite database.
 *
 * PGlite is a single PostgreSQL session. TypeORM hands every QueryRunner its own "connection"
 * and runs BEGIN … COMMIT on it, so concurrent requests sharing the session unguarded would
 * interleave their transactions. This pool therefore lends the session to one QueryRunner at a
 * time (connect … release), exactly like a `pg` pool of size one. Consequence for callers: never
 * use a second QueryRunner (the default manager, another repository) inside a transaction, and
 * never hold a QueryRunner open while idle — on PGlite that blocks every other query.
 *
 * typeorm-pglite offers the same bridge, but shares the session between QueryRunners without
 * serialising them and keeps one process-wide instance, which is why it is not used here.
 */

/** How long a QueryRunner may wait for the session before failing instead of hanging. */
const SESSION_WAIT_MS = 60_000;

interface PgLikeResult {
  rows: unknown[];
  rowCount: number;
  command: string | undefined;
  fields: { name: string; dataTypeID: number }[];
}

type QueryCallback = (err: Error | null, result?: PgLikeResult) => void;

/** Results shaped like `pg`'s, so TypeORM treats both drivers alike (UPDATE counts, RETURNING rows). */
function toPgResult(result: {
  rows: unknown[];
  rowCount?: number;
  affectedRows?: number;
  command?: string;
  fields: PgLikeResult['fields'];
}): PgLikeResult {
  return {
    rows: result.rows,
    rowCount: result.rowCount ?? result.affectedRows ?? result.rows.length,
    command: result.command?.toUpperCase(),
    fields: result.fields,
  };
}

/** The session as a `pg` client: `query(text, params?)` returning a promise, or with a callback. */
class PGliteSessionClient extends EventEmitter {
  constructor(private readonly db: PGlite) {
    super();
  }

  query(text: string, paramsOrCallback?: unknown[] | QueryCallback, callback?: QueryCallback): Promise<PgLikeResult> {
    const cb = typeof paramsOrCallback === 'function' ? paramsOrCallback : callback;
    const params = Array.isArray(paramsOrCallback) ? paramsOrCallback : undefined;
    const run =
      params !== undefined && params.length > 0
        ? this.db.query(text, params).then(toPgResult)
        : // Without parameters use the simple protocol: migrations send several statements at once.
          this.db.exec(text).then((results) => toPgResult(results[results.length - 1] ?? { rows: [], fields: [] }));
    if (cb)
      run.then(
        (r) => cb(null, r),
        (e: Error) => cb(e),
      );
    return run;
  }
}

/** A FIFO lock on the session. */
class SessionLock {
  private tail: Promise<void> = Promise.resolve();

  acquire(timeoutMs: number): Promise<() => void> {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const previous = this.tail;
    this.tail = previous.then(() => released);
    return new Promise((resolve, reject) => {
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        reject(new Error(`PGlite session busy for ${timeoutMs} ms (a query inside a transaction on another QueryRunner?)`));
      }, timeoutMs);
      void previous.then(() => {
        clearTimeout(timer);
        if (timedOut) release();
        else resolve(release);
      });
    });
  }
}

/**
 * PGlite has no postmaster: two processes opening one data folder would corrupt it. A lock file
 * beside the folder, naming the owning pid, makes the second one (say `ordertrace audit` while
 * the server runs) fail with a clear message; a lock left by a dead process is taken over.
 */
function acquireFolderLock(dataDir: string): () => void {
  const lockFile = `${dataDir}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lockFile, String(process.pid), { flag: 'wx', mode: 0o600 });
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        process.removeListener('exit', release);
        fs.rmSync(lockFile, { force: true });
      };
      process.on('exit', release);
      return release;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const owner = Number(fs.readFileSync(lockFile, 'utf8').trim());
      if (Number.isInteger(owner) && owner > 0 && isAlive(owner)) {
        throw new Error(
          `the embedded database ${dataDir} is in use by process ${owner}${owner === process.pid ? ' (this one)' : ''}; ` +
            'stop it first, or point DATABASE_URL at PostgreSQL to share a database',
          { cause: e },
        );
      }
      fs.rmSync(lockFile, { force: true });
    }
  }
  throw new Error(`could not lock ${dataDir}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface PGliteDriverHandle {
  /** Pass as `driver` in TypeORM's postgres DataSource options. */
  readonly driver: { Pool: new () => EventEmitter };
}

/** The TypeORM `driver` for a PGlite database persisted in `dataDir` (created if missing). */
export function pgliteDriver(dataDir: string): PGliteDriverHandle {
  class PGliteSessionPool extends EventEmitter {
    private readonly lock = new SessionLock();
    private readonly db: Promise<PGlite>;
    private readonly client: Promise<PGliteSessionClient>;
    private readonly releaseFolder: () => void;

    constructor() {
      super();
      fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
      this.releaseFolder = acquireFolderLock(dataDir);
      // int8 as text and bytea as Buffer, as `pg` returns them.
      this.db = PGlite.create(dataDir, {
        parsers: {
          [types.INT8]: (value: string) => value,
          [types.BYTEA]: (value: string) => Buffer.from(value.slice(2), 'hex'),
        },
      });
      // A failed open frees the folder; the error itself surfaces on first use.
      this.db.catch(() => this.releaseFolder());
      this.client = this.db.then((db) => new PGliteSessionClient(db));
    }

    connect(callback: (err: Error | null, client?: PGliteSessionClient, release?: () => void) => void): void {
      this.lock.acquire(SESSION_WAIT_MS).then(
        (release) =>
          this.client.then(
            (client) => callback(null, client, release),
            (err: Error) => {
              release();
              callback(err);
            },
          ),
        (err: Error) => callback(err),
      );
    }

    end(callback?: (err?: Error | null) => void): void {
      this.db
        .then((db) => db.close())
        .finally(this.releaseFolder)
        .then(
          () => callback?.(null),
          (err: Error) => callback?.(err),
        );
    }
  }
  return { driver: { Pool: PGliteSessionPool } };
}
