/**
 * Runs the per-event checks (checkStoredRecord: parsing, canonical form, leaf hash) of the audit on
 * worker threads, one page of rows per message, so that hashing uses every core while the main
 * thread reads from PostgreSQL and applies the order-by-order checks. Results come back per page,
 * and the caller applies them in page order, so the audit reports exactly what one thread would.
 */
import { availableParallelism } from 'node:os';
import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { checkStoredRecord, type RecordCheckResult, type StoredEventRow } from './order-history-check';

export interface RecordChecker {
  readonly threads: number;
  check(rows: StoredEventRow[]): Promise<RecordCheckResult[]>;
  close(): Promise<void>;
}

/** Worker threads to use: one per core; none on one core (or from sources, where there is no compiled worker). */
function workerCount(): number {
  if (extname(__filename) !== '.js') return 0;
  const cores = availableParallelism();
  return cores >= 2 ? cores : 0;
}

export function startRecordChecker(threads = workerCount()): RecordChecker {
  if (threads <= 0) {
    return { threads: 0, check: (rows) => Promise.resolve(rows.map(checkStoredRecord)), close: () => Promise.resolve() };
  }
  const pending = new Map<number, { resolve: (r: RecordCheckResult[]) => void; reject: (e: unknown) => void }>();
  let failure: Error | null = null;
  const fail = (err: unknown) => {
    failure ??= err instanceof Error ? err : new Error(String(err));
    for (const p of pending.values()) p.reject(failure);
    pending.clear();
  };
  const workers = Array.from({ length: threads }, () => {
    const worker = new Worker(join(__dirname, 'record-check-worker.js'));
    worker.on('message', (message: { id: number; results: RecordCheckResult[] }) => {
      const p = pending.get(message.id);
      pending.delete(message.id);
      p?.resolve(message.results);
    });
    worker.on('error', fail);
    worker.on('exit', (code) => {
      if (code !== 0) fail(new Error(`an audit worker thread stopped with code ${code}`));
    });
    return worker;
  });
  let nextId = 0;
  return {
    threads,
    check(rows) {
      if (failure) return Promise.reject(failure);
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        workers[id % workers.length].postMessage({ id, rows });
      });
    },
    async close() {
      for (const w of workers) w.removeAllListeners('exit');
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
