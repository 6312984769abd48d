/**
 * The kill -9 harness: a load client that drives orders, events and bulk requests against a server
 * (a child process) and records every acknowledged write, and the checks that prove nothing
 * acknowledged was lost, nothing stored is broken, and everything is anchored exactly once.
 * Loopback only; every loop is bounded in count and time.
 */
import type { JsonRpcProvider } from 'ethers';
import { ANCHORED_TOPIC } from '../../proof/chain-reader';
import { GENESIS_PREV, leafHashOfCanonical } from '../../proof/hashes';
import type { EventRecord } from '../../proof/record';
import { waitFor } from './anchoring-fixture';
import { everythingAnchored, type TestDatabase } from './database';

/** An acknowledged event: the client got a 2xx naming it. */
export interface AckedEvent {
  orderId: string;
  seq: number;
  leaf: string;
}

/** A bulk request that got no answer: retried with its Idempotency-Key once the server is back. */
export interface UnansweredBulk {
  key: string;
  body: unknown;
}

export interface LoadTally {
  acknowledged: Map<string, AckedEvent>;
  unansweredBulks: UnansweredBulk[];
  requests: number;
  /** Answers that were not 2xx (a server going away answers some 503s, or nothing at all). */
  failed: number;
  statuses: Map<number, number>;
  /** 503 and 429 answers without a Retry-After header. */
  withoutRetryAfter: number;
}

export function newTally(): LoadTally {
  return { acknowledged: new Map(), unansweredBulks: [], requests: 0, failed: 0, statuses: new Map(), withoutRetryAfter: 0 };
}

const SCAN_STEPS = ['paid', 'packed', 'shipped'];

interface ClientOrder {
  id: string;
  /** Next event types to send; after them, in_transit scans forever. */
  steps: string[];
}

export async function post(
  baseUrl: string,
  path: string,
  key: string,
  body: unknown,
  idempotencyKey?: string,
): Promise<{ status: number; body: unknown; retryAfter: string | null } | null> {
  try {
    const res = await fetch(`${baseUrl}${path}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${key}`,
        'content-type': 'application/json',
        ...(idempotencyKey === undefined ? {} : { 'idempotency-key': idempotencyKey }),
      },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as unknown) : null, retryAfter: res.headers.get('retry-after') };
  } catch {
    return null; // connection refused or reset: the server is gone
  }
}

export function ackBulk(tally: LoadTally, body: unknown): void {
  for (const item of (body as { items: { status: number; event?: { orderId: string; seq: number; leaf: string } }[] }).items) {
    if (item.status === 201 && item.event) ack(tally, item.event);
  }
}

/** Bulk requests that got no clear answer, retried with their keys: each must now be answered (and applied once). */
export async function retryUnansweredBulks(baseUrl: string, key: string, tally: LoadTally): Promise<void> {
  for (const bulk of tally.unansweredBulks) {
    const answer = await post(baseUrl, '/v1/bulk', key, bulk.body, bulk.key);
    expect(answer?.status).toBe(200);
    ackBulk(tally, answer!.body);
  }
}

/** Waits until every stored event is in a sealed batch and every batch is confirmed on the chain. */
export async function waitEverythingAnchored(db: TestDatabase): Promise<void> {
  await waitFor('every stored event anchored', () => everythingAnchored(db), 120_000, 250);
}

function ack(tally: LoadTally, event: { orderId: string; seq: number; leaf: string }): void {
  tally.acknowledged.set(`${event.orderId}#${event.seq}`, { orderId: event.orderId, seq: event.seq, leaf: event.leaf });
}

/**
 * Sends writes with `workers` in flight until `stop()` says so or `maxRequests` were sent: new
 * orders, lifecycle events and bulk requests of 20 events. An order whose last write got no clear
 * answer is left alone afterwards, since its state is unknown to the client.
 */
export async function driveLoad(
  baseUrl: string,
  key: string,
  tally: LoadTally,
  opts: { workers: number; maxRequests: number; stop: () => boolean; tag: string },
): Promise<void> {
  let created = 0;
  const worker = async (w: number): Promise<void> => {
    let orders: ClientOrder[] = [];
    for (let n = 0; !opts.stop() && tally.requests < opts.maxRequests; n++) {
      tally.requests++;
      let answer: { status: number; body: unknown; retryAfter: string | null } | null;
      if (orders.length < 3) {
        answer = await post(baseUrl, '/v1/orders', key, { reference: `${opts.tag}-${w}-${created++}`, data: { w } });
        if (answer?.status === 201) {
          const order = answer.body as { id: string; lastSeq: number; lastLeaf: string };
          ack(tally, { orderId: order.id, seq: order.lastSeq, leaf: order.lastLeaf });
          orders.push({ id: order.id, steps: [...SCAN_STEPS] });
        }
      } else if (n % 5 === 0) {
        // Every bulk item carries a tag of its own: stored twice, it would show.
        const idempotencyKey = `${opts.tag}-${w}-${n}`;
        const items = orders.flatMap((o) =>
          Array.from({ length: 7 }, (_, i) => ({
            event: { order: o.id, type: o.steps.shift() ?? 'in_transit', data: { item: `${idempotencyKey}:${o.id}:${i}` } },
          })),
        );
        answer = await post(baseUrl, '/v1/bulk', key, { items }, idempotencyKey);
        if (answer?.status === 200) ackBulk(tally, answer.body);
        else {
          if (answer === null || answer.status >= 500) tally.unansweredBulks.push({ key: idempotencyKey, body: { items } });
          orders = [];
        }
      } else {
        const order = orders[n % orders.length];
        answer = await post(baseUrl, `/v1/orders/${order.id}/events`, key, { type: order.steps.shift() ?? 'in_transit', data: { n } });
        if (answer?.status === 201) ack(tally, answer.body as AckedEvent);
        else orders = orders.filter((o) => o !== order);
      }
      const status = answer?.status ?? 0;
      tally.statuses.set(status, (tally.statuses.get(status) ?? 0) + 1);
      if (status < 200 || status >= 300) tally.failed++;
      if ((status === 503 || status === 429) && (answer?.retryAfter ?? null) === null) tally.withoutRetryAfter++;
      // A server gone or a database away: pause briefly rather than spin through the request budget.
      if (answer === null || answer.status === 503) await new Promise((r) => setTimeout(r, 50));
    }
  };
  await Promise.all(Array.from({ length: opts.workers }, (_, w) => worker(w)));
}

export interface DurabilityReport {
  acknowledged: number;
  /** Bulk items stored more than once (each carries a tag of its own). */
  appendedTwice: number;
  stored: number;
  anchored: number;
  lost: number;
  changed: number;
  brokenChains: number;
  doubleAnchored: number;
}

/**
 * Every acknowledged event stored with the leaf the client was given; every stored event, acknowledged
 * or not, complete and valid (its leaf the hash of its record, its order's chain gapless and linked);
 * every batch on the contract exactly once.
 */
export async function durabilityReport(
  db: TestDatabase,
  tally: LoadTally,
  provider: JsonRpcProvider,
  contract: string,
): Promise<DurabilityReport> {
  const rows = await db.query<{ order_id: string; seq: number; record: string; leaf: string; anchored: boolean }>(
    `SELECT e.order_id, e.seq, e.record, e.leaf, (b.status = 'confirmed') AS anchored
       FROM events e LEFT JOIN batches b ON b.seq = e.batch_seq ORDER BY e.order_id, e.seq`,
  );
  const stored = new Map(rows.map((r) => [`${r.order_id}#${r.seq}`, r]));
  let lost = 0;
  let changed = 0;
  for (const [k, a] of tally.acknowledged) {
    const row = stored.get(k);
    if (row === undefined) lost++;
    else if (row.leaf !== a.leaf) changed++;
  }
  let brokenChains = 0;
  let previous: (typeof rows)[number] | null = null;
  for (const row of rows) {
    const record = JSON.parse(row.record) as EventRecord;
    const first = previous === null || previous.order_id !== row.order_id;
    const expectedSeq = first ? 1 : previous!.seq + 1;
    const expectedPrev = first ? GENESIS_PREV : previous!.leaf;
    if (row.seq !== expectedSeq || record.seq !== row.seq || record.prev !== expectedPrev || leafHashOfCanonical(row.record) !== row.leaf) {
      brokenChains++;
    }
    previous = row;
  }
  const [{ twice }] = await db.query<{ twice: number }>(
    `SELECT count(*)::int AS twice FROM (
       SELECT record::jsonb->'data'->>'item' AS item FROM events WHERE record::jsonb->'data' ? 'item' GROUP BY 1 HAVING count(*) > 1) t`,
  );
  const logs = await provider.getLogs({ address: contract, topics: [ANCHORED_TOPIC], fromBlock: 0, toBlock: 'latest' });
  const seqs = logs.map((l) => Number(BigInt(l.topics[1])));
  const doubleAnchored = seqs.length - new Set(seqs).size;
  return {
    acknowledged: tally.acknowledged.size,
    appendedTwice: twice,
    stored: rows.length,
    anchored: rows.filter((r) => r.anchored).length,
    lost,
    changed,
    brokenChains,
    doubleAnchored,
  };
}
