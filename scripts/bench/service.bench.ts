/**
 * Service benchmarks on this machine's real PostgreSQL and a real Hardhat node: HTTP ingest
 * (orders and lifecycle events, durable: one transaction per event), bundle export of a
 * 100-event order and its verification against the chain. Loopback only, bounded in count.
 */
import { JsonRpcChainReader } from '../../proof/rpc-chain-reader';
import { verifyBundle } from '../../proof/verify';
import { waitFor } from '../../test/support/anchoring-fixture';
import { createBrand, startAnchoringTestApp } from '../../test/support/app';
import { Worker } from 'node:worker_threads';
import type { BenchRow } from './bench-row';

const CONCURRENCY = 50;
const REQUESTS = 3_000;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

interface LoadRequest {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string;
}

interface LoadResult {
  perSecond: number;
  p50: number;
  p99: number;
  errors: number;
  /** `id` of each successful JSON answer, in request order (for requests that create things). */
  ids: string[];
}

// The load runs on its own thread (own event loop), so the client's work does not eat into the
// server's: in one event loop it took about a fifth of the server's CPU.
const LOAD_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { requests, concurrency } = workerData;
(async () => {
  const latencies = [];
  const ids = new Array(requests.length).fill(null);
  let next = 0;
  let errors = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < requests.length) {
      const i = next++;
      const r = requests[i];
      const t0 = performance.now();
      const res = await fetch(r.url, { method: r.method, headers: r.headers, body: r.body });
      const text = await res.text();
      latencies.push(performance.now() - t0);
      if (res.status >= 300) errors++;
      else { try { ids[i] = JSON.parse(text).id ?? null; } catch {} }
    }
  }));
  parentPort.postMessage({ seconds: (performance.now() - started) / 1000, latencies, errors, ids });
})();
`;

/** Sends `requests` with `concurrency` in flight from a worker thread; throughput and latency percentiles. */
function load(requests: LoadRequest[], concurrency: number): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(LOAD_WORKER, { eval: true, workerData: { requests, concurrency } });
    worker.once('error', reject);
    worker.once('message', (m: { seconds: number; latencies: number[]; errors: number; ids: (string | null)[] }) => {
      const sorted = m.latencies.sort((a, b) => a - b);
      resolve({
        perSecond: requests.length / m.seconds,
        p50: percentile(sorted, 50),
        p99: percentile(sorted, 99),
        errors: m.errors,
        ids: m.ids.filter((id): id is string => typeof id === 'string'),
      });
      void worker.terminate();
    });
  });
}

export async function runServiceBenchmarks(log: (line: string) => void = console.log): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  log('starting a Hardhat node and the service on a fresh PostgreSQL database…');
  const running = await startAnchoringTestApp({ BATCH_MAX_WAIT_MS: '500' });
  const { t: app, chain } = running;
  try {
    const brand = await createBrand(app);
    const headers = { authorization: `Bearer ${brand.key}`, 'content-type': 'application/json' };
    const post = (path: string, body: unknown) => fetch(`${app.baseUrl}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });

    log(`POST /v1/orders × ${REQUESTS}, ${CONCURRENCY} in flight…`);
    const orderRequests = Array.from({ length: REQUESTS }, (_, i): LoadRequest => ({
      method: 'POST',
      url: `${app.baseUrl}/v1/orders`,
      headers,
      body: JSON.stringify({ reference: `BENCH-${i}`, data: { channel: 'web' }, sealed: { customer: { name: `Customer ${i}` } } }),
    }));
    const orders = await load(orderRequests, CONCURRENCY);
    const orderIds = orders.ids;
    rows.push({
      group: 'ingest',
      better: 'higher',
      name: `ingest: POST /v1/orders (c=${CONCURRENCY}, durable)`,
      value: orders.perSecond,
      unit: 'events/s',
      note: `p50 ${orders.p50.toFixed(1)} ms, p99 ${orders.p99.toFixed(1)} ms, ${orders.errors} errors; PG 1 tx/event, 8 conn: 2,599/s`,
    });

    log(`POST /v1/orders/{id}/events × ${REQUESTS}, ${CONCURRENCY} in flight over ${CONCURRENCY} orders…`);
    const pending = orderIds.slice(0, CONCURRENCY);
    for (const id of pending) {
      for (const type of ['paid', 'packed', 'shipped']) await post(`/v1/orders/${id}/events`, { type });
    }
    const appends = await load(
      Array.from({ length: REQUESTS }, (_, i): LoadRequest => ({
        method: 'POST',
        url: `${app.baseUrl}/v1/orders/${pending[i % pending.length]}/events`,
        headers,
        body: JSON.stringify({ type: 'in_transit', data: { scan: i } }),
      })),
      CONCURRENCY,
    );
    rows.push({
      group: 'ingest',
      better: 'higher',
      name: `ingest: POST /v1/orders/{id}/events (c=${CONCURRENCY}, durable)`,
      value: appends.perSecond,
      unit: 'events/s',
      note: `p50 ${appends.p50.toFixed(1)} ms, p99 ${appends.p99.toFixed(1)} ms, ${appends.errors} errors`,
    });

    // The 100-event order: created, paid, packed, shipped + in_transit scans.
    const big = pending[0];
    const have = 4 + Math.floor(REQUESTS / pending.length);
    log(`waiting until every event is anchored…`);
    const anchoredAfter = performance.now();
    await waitFor(
      'all events anchored',
      async () => {
        const [row] = await app.database!.query<{ open: number }>(
          `SELECT (SELECT count(*)::int FROM events WHERE batch_seq IS NULL) + (SELECT count(*)::int FROM batches WHERE status <> 'confirmed') AS open`,
        );
        return row.open === 0;
      },
      300_000,
      250,
    );
    log(`anchored ${(performance.now() - anchoredAfter).toFixed(0)} ms after ingest ended`);

    log(`GET /v1/orders/{id}/bundle of a ${have}-event order × 200…`);
    const exportRun = await load(
      Array.from({ length: 200 }, (): LoadRequest => ({ method: 'GET', url: `${app.baseUrl}/v1/orders/${big}/bundle`, headers })),
      1,
    );
    rows.push({
      group: 'export',
      better: 'lower',
      name: `bundle export, ${have} events (sequential)`,
      value: exportRun.p99,
      unit: 'ms p99',
      note: `p50 ${exportRun.p50.toFixed(1)} ms, ${exportRun.errors} errors`,
    });

    const bundle: unknown = await (await fetch(`${app.baseUrl}/v1/orders/${big}/bundle`, { headers })).json();
    const reader = new JsonRpcChainReader(chain.rpcUrl);
    const times: number[] = [];
    for (let i = 0; i < 20; i++) {
      const t0 = performance.now();
      const result = await verifyBundle(bundle, reader);
      times.push(performance.now() - t0);
      if (result.verdict !== 'verified') throw new Error(`benchmark bundle did not verify: ${result.failure?.message}`);
    }
    times.sort((a, b) => a - b);
    rows.push({
      group: 'verify',
      better: 'lower',
      name: `verifyBundle, ${have} events, local RPC`,
      value: percentile(times, 50),
      unit: 'ms p50',
      note: `max ${times[times.length - 1].toFixed(1)} ms over 20`,
    });
  } finally {
    await running.close();
  }
  return rows;
}
