/**
 * Service benchmarks on this machine's real PostgreSQL and a real Hardhat node: HTTP ingest
 * (orders and lifecycle events, durable: one transaction per event), bundle export of a
 * 100-event order and its verification against the chain. Loopback only, bounded in count.
 */
import { JsonRpcChainReader } from '../../proof/rpc-chain-reader';
import { verifyBundle } from '../../proof/verify';
import { waitFor } from '../../test/support/anchoring-fixture';
import { createBrand, startAnchoringTestApp } from '../../test/support/app';
import type { BenchRow } from './proof.bench';

const CONCURRENCY = 50;
const REQUESTS = 3_000;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Runs `total` requests with `concurrency` in flight; returns throughput and latency percentiles. */
async function load(total: number, concurrency: number, request: (i: number) => Promise<Response>): Promise<{ perSecond: number; p50: number; p99: number; errors: number }> {
  const latencies: number[] = [];
  let next = 0;
  let errors = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const i = next++;
        const t0 = performance.now();
        const res = await request(i);
        await res.arrayBuffer();
        latencies.push(performance.now() - t0);
        if (res.status >= 300) errors++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { perSecond: total / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99), errors };
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
    const orderIds: string[] = [];
    const orders = await load(REQUESTS, CONCURRENCY, async (i) => {
      const res = await post('/v1/orders', { reference: `BENCH-${i}`, data: { channel: 'web' }, sealed: { customer: { name: `Customer ${i}` } } });
      if (res.status === 201) orderIds.push((await res.clone().json()).id);
      return res;
    });
    rows.push({ name: `ingest: POST /v1/orders (c=${CONCURRENCY}, durable)`, value: orders.perSecond, unit: 'events/s', baseline: `p50 ${orders.p50.toFixed(1)} ms, p99 ${orders.p99.toFixed(1)} ms, ${orders.errors} errors; PG 1 tx/event, 8 conn: 2,599/s` });

    log(`POST /v1/orders/{id}/events × ${REQUESTS}, ${CONCURRENCY} in flight over ${CONCURRENCY} orders…`);
    const pending = orderIds.slice(0, CONCURRENCY);
    for (const id of pending) {
      for (const type of ['paid', 'packed', 'shipped']) await post(`/v1/orders/${id}/events`, { type });
    }
    const appends = await load(REQUESTS, CONCURRENCY, (i) => post(`/v1/orders/${pending[i % pending.length]}/events`, { type: 'in_transit', data: { scan: i } }));
    rows.push({ name: `ingest: POST /v1/orders/{id}/events (c=${CONCURRENCY}, durable)`, value: appends.perSecond, unit: 'events/s', baseline: `p50 ${appends.p50.toFixed(1)} ms, p99 ${appends.p99.toFixed(1)} ms, ${appends.errors} errors` });

    // The 100-event order: created, paid, packed, shipped + in_transit scans.
    const big = pending[0];
    const have = 4 + Math.floor(REQUESTS / pending.length);
    log(`waiting until every event is anchored…`);
    const anchoredAfter = performance.now();
    await waitFor('all events anchored', async () => {
      const [row] = await app.database!.query<{ open: number }>(
        `SELECT (SELECT count(*)::int FROM events WHERE batch_seq IS NULL) + (SELECT count(*)::int FROM batches WHERE status <> 'confirmed') AS open`,
      );
      return row.open === 0;
    }, 300_000, 250);
    log(`anchored ${(performance.now() - anchoredAfter).toFixed(0)} ms after ingest ended`);

    log(`GET /v1/orders/{id}/bundle of a ${have}-event order × 200…`);
    const exportRun = await load(200, 1, () => fetch(`${app.baseUrl}/v1/orders/${big}/bundle`, { headers }));
    rows.push({ name: `bundle export, ${have} events (sequential)`, value: exportRun.p99, unit: 'ms p99', baseline: `p50 ${exportRun.p50.toFixed(1)} ms, ${exportRun.errors} errors` });

    const bundle = await (await fetch(`${app.baseUrl}/v1/orders/${big}/bundle`, { headers })).json();
    const reader = new JsonRpcChainReader(chain.rpcUrl);
    const times: number[] = [];
    for (let i = 0; i < 20; i++) {
      const t0 = performance.now();
      const result = await verifyBundle(bundle, reader);
      times.push(performance.now() - t0);
      if (result.verdict !== 'verified') throw new Error(`benchmark bundle did not verify: ${result.failure?.message}`);
    }
    times.sort((a, b) => a - b);
    rows.push({ name: `verifyBundle, ${have} events, local RPC`, value: percentile(times, 50), unit: 'ms p50', baseline: `max ${times[times.length - 1].toFixed(1)} ms over 20` });
  } finally {
    await running.close();
  }
  return rows;
}
