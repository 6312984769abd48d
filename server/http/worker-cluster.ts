import cluster, { type Worker } from 'node:cluster';
import type { AppConfig } from '../config/app-config';

/** Set by the primary in each worker's environment: `<index>/<count>`. */
export const WORKER_ENV = 'ORDERTRACE_WORKER';

export interface WorkerIdentity {
  index: number;
  count: number;
}

/** This process's place among the HTTP workers, or null when it serves alone. */
export function workerIdentity(env: NodeJS.ProcessEnv = process.env): WorkerIdentity | null {
  const m = /^(\d+)\/(\d+)$/.exec(env[WORKER_ENV] ?? '');
  return cluster.isWorker && m ? { index: Number(m[1]), count: Number(m[2]) } : null;
}

/**
 * A worker's share of the limits that are kept in memory: the primary hands connections out in
 * turn, so each worker sees about 1/count of the traffic, and together they keep the configured
 * totals (the ingest queue, a brand's queue and its rate).
 */
export function workerShare(config: AppConfig, count: number): AppConfig {
  if (count <= 1) return config;
  const share = (n: number): number => (n === 0 ? 0 : Math.max(1, Math.ceil(n / count)));
  const { ingest } = config;
  return {
    ...config,
    ingest: {
      ...ingest,
      queueMax: share(ingest.queueMax),
      brandQueueMax: share(ingest.brandQueueMax),
      brandRatePerSecond: share(ingest.brandRatePerSecond),
      // A burst still admits one whole bulk request, as with one process.
      brandRateBurst: Math.max(share(ingest.brandRateBurst), Math.min(ingest.brandRateBurst, 1_000)),
    },
  };
}

/** A message one worker sends to the others through the primary. */
interface WorkerBroadcast {
  ordertraceBroadcast: string;
}

function isBroadcast(message: unknown): message is WorkerBroadcast {
  return typeof (message as WorkerBroadcast | null)?.ordertraceBroadcast === 'string';
}

/** Tells every other worker of this service about `topic` (e.g. that API keys were revoked); alone, a no-op. */
export function broadcastToWorkers(topic: string): void {
  if (cluster.isWorker && process.send !== undefined) process.send({ ordertraceBroadcast: topic } satisfies WorkerBroadcast);
}

/** Runs `listener` whenever any worker broadcasts `topic`; returns the unsubscribe. */
export function onWorkerBroadcast(topic: string, listener: () => void): () => void {
  const handler = (message: unknown): void => {
    if (isBroadcast(message) && message.ordertraceBroadcast === topic) listener();
  };
  process.on('message', handler);
  return () => process.off('message', handler);
}

/** A question a worker asks the primary, and its answer. */
interface PrimaryRequest {
  ordertraceAsk: string;
  id: number;
}
interface PrimaryAnswer {
  ordertraceAnswer: number;
  value?: unknown;
  error?: string;
}

/** Questions the primary can answer for its workers (e.g. every worker's metrics together), by topic. */
export type PrimaryAnswers = Readonly<Record<string, () => Promise<unknown>>>;

const ASK_TIMEOUT_MS = 5_000;
let nextAskId = 0;

/** Asks the primary of this worker's service a question it answers through `superviseWorkers(…, answers)`. */
export function askPrimary<T>(topic: string): Promise<T> {
  const send = process.send?.bind(process);
  if (!cluster.isWorker || send === undefined) return Promise.reject(new Error('not an HTTP worker'));
  const id = nextAskId++;
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error(`the primary did not answer "${topic}" within ${ASK_TIMEOUT_MS} ms`)), ASK_TIMEOUT_MS);
    const onMessage = (message: unknown): void => {
      const answer = message as PrimaryAnswer | null;
      if (answer?.ordertraceAnswer !== id) return;
      finish(answer.error !== undefined ? new Error(answer.error) : null, answer.value as T);
    };
    const finish = (error: Error | null, value?: T): void => {
      clearTimeout(timer);
      process.off('message', onMessage);
      if (error !== null) reject(error);
      else resolve(value as T);
    };
    process.on('message', onMessage);
    send({ ordertraceAsk: topic, id } satisfies PrimaryRequest);
  });
}

function isPrimaryRequest(message: unknown): message is PrimaryRequest {
  return typeof (message as PrimaryRequest | null)?.ordertraceAsk === 'string';
}

/** A worker that dies this soon after it started listening is failing, not crashing by chance. */
const STARTUP_GRACE_MS = 10_000;
const RESTART_DELAY_MS = 1_000;

/**
 * The primary process of a multi-worker service: starts `count` workers on the one port (the first
 * alone, so that it migrates the database before the others connect), restarts a worker that
 * dies, and on SIGTERM/SIGINT stops them all and waits for them (each drains its write groups).
 * A worker that fails before it ever listened fails the whole start, as a single process would.
 */
export function superviseWorkers(count: number, log: (line: string) => void, answers: PrimaryAnswers = {}): void {
  let stopping = false;
  const startedAt = new Map<Worker, number>();

  const fork = (index: number, onListening?: () => void): void => {
    const worker = cluster.fork({ [WORKER_ENV]: `${index}/${count}` });
    worker.on('message', (message: unknown) => {
      if (isPrimaryRequest(message)) {
        const answer = answers[message.ordertraceAsk] ?? (() => Promise.reject(new Error(`no answer for "${message.ordertraceAsk}"`)));
        answer().then(
          (value) => worker.send({ ordertraceAnswer: message.id, value } satisfies PrimaryAnswer),
          (e: unknown) =>
            worker.send({ ordertraceAnswer: message.id, error: e instanceof Error ? e.message : String(e) } satisfies PrimaryAnswer),
        );
        return;
      }
      if (!isBroadcast(message)) return;
      for (const other of Object.values(cluster.workers ?? {})) if (other !== undefined && other !== worker) other.send(message);
    });
    worker.once('listening', () => {
      startedAt.set(worker, Date.now());
      onListening?.();
    });
    worker.once('exit', (code, signal) => {
      const listenedAt = startedAt.get(worker);
      startedAt.delete(worker);
      if (stopping) {
        if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(process.exitCode ?? 0);
        return;
      }
      const how = signal !== null ? `signal ${signal}` : `code ${code}`;
      if (listenedAt === undefined || Date.now() - listenedAt < STARTUP_GRACE_MS) {
        log(`ordertrace: worker ${index} exited with ${how} while starting; stopping`);
        process.exitCode = 1;
        stop();
        return;
      }
      log(`ordertrace: worker ${index} exited with ${how}; starting it again`);
      setTimeout(() => fork(index), RESTART_DELAY_MS);
    });
  };

  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
    if (workers.length === 0) process.exit(process.exitCode ?? 0);
    for (const worker of workers) worker.process.kill('SIGTERM');
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);

  const startRest = (next: number): void => {
    if (next >= count || stopping) return;
    fork(next, () => startRest(next + 1));
  };
  fork(0, () => startRest(1));
}
