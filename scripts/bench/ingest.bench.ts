/**
 * Ingest, sealing and anchoring benchmarks on this machine's real PostgreSQL and a Hardhat node,
 * each against a baseline measured in the same run. The service is the built one (`dist/`, what
 * `npm start` runs) in a child process of its own, with `LOG_LEVEL=warn` unless said otherwise;
 * the load client runs on a thread of this process. Loopback only, bounded in time.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { Pool } from 'pg';
import { Contract } from 'ethers';
import type { Hex } from '../../proof/bytes';
import { useFastKeccak } from '../../proof/fast-keccak';
import { MerkleTree } from '../../proof/merkle';
import { MetricsService } from '../../server/metrics/metrics.service';
import { BatchSealerService } from '../../server/batches/batch-sealer.service';
import { BatchesRepository } from '../../server/batches/batches.repository';
import type { AppConfig } from '../../server/config/app-config';
import { openDataSource } from '../../server/database/data-source-options';
import { deployTestAnchor, startTestChain, type TestChain } from '../../test/support/chain';
import { createTestDatabase } from '../../test/support/database';
import { allOf, atLeast, atMost, benchRow, type BenchRow } from './bench-row';
import { phaseShares, readCpuProfile } from './cpu-profile';
import { type LoadResult, runLoad } from './load';
import { rawMultiRowInserts, rawPerEventTransactions, seedBaselineOrders } from './pg-baseline';
import { call, startService } from './bench-service';

export interface IngestBenchOptions {
  /** Seconds per HTTP load figure. */
  seconds: number;
  /** Events for the sealing figure. */
  sealEvents: number;
  /** Also measure the single-event figure at the default log level, and with one HTTP worker. */
  infoLevel: boolean;
  /** Profile the one-worker figure's CPU time and add its phases as rows. */
  profile: boolean;
}

export const DEFAULT_INGEST_OPTIONS: IngestBenchOptions = { seconds: 10, sealEvents: 1_000_000, infoLevel: true, profile: false };

const ADMIN_TOKEN = `bench-admin-${randomBytes(12).toString('hex')}`;
const CONNECTIONS = 50;
const ORDERS = 1_000;
/** Orders of the bulk figure's own brand: 1,000 for each of its 4 requests in flight. */
const BULK_ORDERS = 4_000;

/** A brand, its key, and `count` shipped orders (so that `in_transit` scans can follow forever). */
async function seedShippedOrders(baseUrl: string, count: number, tag: string): Promise<{ key: string; ids: string[] }> {
  const brand = await call<{ id: string }>(baseUrl, 'POST', '/v1/brands', ADMIN_TOKEN, { slug: `bench-${tag}`, name: `Bench ${tag}` });
  const { key } = await call<{ key: string }>(baseUrl, 'POST', `/v1/brands/${brand.id}/keys`, ADMIN_TOKEN, {});
  const ids: string[] = [];
  for (let start = 0; start < count; start += 250) {
    const items = Array.from({ length: Math.min(250, count - start) }, (_, i) => `${tag}-${start + i}`).flatMap((reference) => [
      { order: { reference, data: { channel: 'web' }, customer: { name: 'Bench Customer' } } },
      { event: { reference, type: 'paid' } },
      { event: { reference, type: 'packed' } },
      { event: { reference, type: 'shipped', data: { carrier: 'DHL' } } },
    ]);
    const res = await call<{ items: { status: number; order?: { id: string } }[] }>(baseUrl, 'POST', '/v1/bulk', key, { items });
    for (const item of res.items) {
      if (item.status !== 201) throw new Error(`seeding failed: ${JSON.stringify(item)}`);
      if (item.order) ids.push(item.order.id);
    }
  }
  return { key, ids };
}

/** Events of the order the export figure exports. */
const EXPORT_EVENTS = 250;

/** A shipped order of `events` events in all (its `created` included), sent in one bulk request. */
async function seedBigOrder(baseUrl: string, key: string, events: number): Promise<string> {
  const reference = `export-${randomBytes(6).toString('hex')}`;
  const items = [
    { order: { reference, data: { channel: 'web' }, customer: { name: 'Bench Customer' } } },
    { event: { reference, type: 'paid' } },
    { event: { reference, type: 'packed' } },
    { event: { reference, type: 'shipped', data: { carrier: 'DHL' } } },
    ...Array.from({ length: events - 4 }, (_, i) => ({
      event: { reference, type: 'in_transit', data: { carrier: 'DHL', scan: String(i), hub: 'Leipzig' } },
    })),
  ];
  const res = await call<{ items: { status: number; order?: { id: string } }[] }>(baseUrl, 'POST', '/v1/bulk', key, { items });
  const failed = res.items.find((item) => item.status !== 201);
  if (failed !== undefined) throw new Error(`seeding the export order failed: ${JSON.stringify(failed)}`);
  return res.items[0].order!.id;
}

/**
 * Waits (at most BACKGROUND_WAIT_MS) until the anomaly-flag evaluator has passed every event stored
 * and every event of `orderId` is anchored.
 */
async function waitForBackgroundWork(
  databaseUrl: string,
  baseUrl: string,
  key: string,
  orderId: string,
  progress: (line: string) => void,
): Promise<void> {
  const pool = new Pool({ connectionString: databaseUrl, max: 1 });
  const started = Date.now();
  let reported = started;
  try {
    for (;;) {
      const { rows } = await pool.query<{ behind: string }>(
        `SELECT count(*) AS behind FROM events e, flag_evaluator_cursor c
          WHERE (e.batch_seq, e.batch_index) > (c.batch_seq, c.batch_index)`,
      );
      const behind = Number(rows[0].behind);
      const bundle = await call<{ events: { anchor: unknown }[] }>(baseUrl, 'GET', `/v1/orders/${orderId}/bundle`, key);
      const pending = bundle.events.filter((e) => e.anchor === null).length;
      if (behind === 0 && pending === 0) return;
      if (Date.now() - started > BACKGROUND_WAIT_MS) {
        progress(
          `  background work has not caught up after ${BACKGROUND_WAIT_MS / 1000} s (${behind} events to evaluate, ${pending} to anchor); measuring anyway`,
        );
        return;
      }
      if (Date.now() - reported > 5_000) {
        progress(`  ${behind.toLocaleString('en')} events still to evaluate for flags, ${pending} of the order's still to anchor…`);
        reported = Date.now();
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  } finally {
    await pool.end();
  }
}

/** How long the export figure waits for the service's background work at most. */
const BACKGROUND_WAIT_MS = 120_000;

function note(r: LoadResult): string {
  const codes = Object.entries(r.statusCodes)
    .map(([code, n]) => `${code}×${n}`)
    .join(' ');
  return `p50 ${r.p50} ms, p99 ${r.p99} ms, ${r.total.toLocaleString('en')} requests, ${codes}${r.errors ? `, ${r.errors} socket errors` : ''}`;
}

const scanBody = JSON.stringify({ type: 'in_transit', data: { carrier: 'DHL', scan: '{i}', hub: 'Leipzig' } });

/** POSTs of `body` to `paths` in turn with the brand's key, `CONNECTIONS` in flight, for `seconds`. */
function postLoad(baseUrl: string, key: string, paths: string[], body: string, seconds: number, overallRate?: number): Promise<LoadResult> {
  return runLoad({
    url: baseUrl,
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    connections: CONNECTIONS,
    durationSeconds: seconds,
    overallRate,
    paths,
    bodies: [body],
  });
}

/** Appends of `in_transit` scans to the given orders. */
function appendLoad(baseUrl: string, key: string, ids: string[], seconds: number, overallRate?: number): Promise<LoadResult> {
  return postLoad(
    baseUrl,
    key,
    ids.map((id) => `/v1/orders/${id}/events`),
    scanBody,
    seconds,
    overallRate,
  );
}

const createBody = JSON.stringify({ reference: 'C-{i}', data: { channel: 'web' }, customer: { name: 'Bench Customer' } });

/** New orders. */
function createLoad(baseUrl: string, key: string, seconds: number): Promise<LoadResult> {
  return postLoad(baseUrl, key, ['/v1/orders'], createBody, seconds);
}

/** Successful answers per second. */
function okPerSecond(r: LoadResult): number {
  return r.ok / (r.total / r.perSecond);
}

const RAW_PER_EVENT = 'raw pg, 1 transaction per event, 50 in flight';

/** What HTTP_WORKERS=auto starts on this machine. */
const AUTO_WORKERS = Math.max(1, Math.min(availableParallelism(), 16));
const WORKERS = 'HTTP_WORKERS=1 (default)';

export async function runIngestBenchmarks(
  progress: (line: string) => void,
  options: IngestBenchOptions = DEFAULT_INGEST_OPTIONS,
): Promise<BenchRow[]> {
  // The service hashes with the WebAssembly keccak; so do sealing and the gas trees here.
  await useFastKeccak();
  const rows: BenchRow[] = [];
  const logDir = mkdtempSync(join(tmpdir(), 'ordertrace-bench-'));
  let chain: TestChain | undefined;
  try {
    // Baselines first, on a database of their own, while nothing else runs.
    progress('baseline: raw pg, one transaction per event and multi-row INSERTs…');
    const rawDb = await createTestDatabase();
    let rawPerEvent: number;
    let rawMultiRow: number;
    try {
      await (await openDataSource({ driver: 'postgres', url: rawDb.url, poolSize: 1 })).destroy();
      const rawOrders = await seedBaselineOrders(rawDb.url, 500);
      rawPerEvent = await rawPerEventTransactions(rawDb.url, rawOrders, { inFlight: CONNECTIONS, poolSize: 10, seconds: options.seconds });
      rawMultiRow = await rawMultiRowInserts(rawDb.url, rawOrders, { rowsPerStatement: 1_000, seconds: Math.min(5, options.seconds) });
    } finally {
      await rawDb.drop();
    }
    progress(`  raw pg: ${Math.round(rawPerEvent)} events/s per-event transactions, ${Math.round(rawMultiRow)} rows/s multi-row`);

    progress('starting a Hardhat node and the built service (dist/) on a fresh PostgreSQL database…');
    chain = await startTestChain();
    const anchorer = chain.wallets[1];
    const contract = (await deployTestAnchor(chain, { anchorer: anchorer.address })).address;
    const db = await createTestDatabase();
    const env = {
      DATABASE_URL: db.url,
      CHAIN_RPC_URL: chain.rpcUrl,
      CONTRACT_ADDRESS: contract,
      ANCHOR_PRIVATE_KEY: anchorer.privateKey,
      ORDERTRACE_DATA_KEY: randomBytes(32).toString('hex'),
      ORDERTRACE_ADMIN_TOKEN: ADMIN_TOKEN,
      ORDERTRACE_DATA_DIR: join(logDir, 'data'),
      LOG_LEVEL: 'warn',
    };
    let service = await startService(env, join(logDir, 'service-warn.log'));
    try {
      progress(`seeding ${ORDERS} shipped orders…`);
      const { key, ids } = await seedShippedOrders(service.baseUrl, ORDERS, 'a');
      const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };

      progress(`POST /v1/orders/{id}/events, ${CONNECTIONS} in flight over ${ids.length} orders, ${options.seconds} s…`);
      const appends = await appendLoad(service.baseUrl, key, ids, options.seconds);
      rows.push(
        benchRow({
          group: 'ingest',
          name: `POST /v1/orders/{id}/events, c=${CONNECTIONS}, ${WORKERS}, durable`,
          value: okPerSecond(appends),
          unit: 'events/s',
          better: 'higher',
          baseline: { name: RAW_PER_EVENT, value: rawPerEvent, unit: 'events/s' },
          target: allOf(
            atLeast(okPerSecond(appends), 5_000, '≥ 5,000/s'),
            atMost(appends.p99, 50, 'p99 ≤ 50 ms'),
            atLeast(appends.perSecond / rawPerEvent, 1, '≥ 1.0× raw pg'),
          ),
          note: note(appends),
        }),
      );

      progress(`POST /v1/orders, ${CONNECTIONS} in flight, ${options.seconds} s…`);
      const creates = await createLoad(service.baseUrl, key, options.seconds);
      const createRate = okPerSecond(creates);
      rows.push(
        benchRow({
          group: 'ingest',
          name: `POST /v1/orders, c=${CONNECTIONS}, ${WORKERS}, durable`,
          value: createRate,
          unit: 'orders/s',
          better: 'higher',
          baseline: { name: 'raw pg, 1 transaction per event, 50 in flight', value: rawPerEvent, unit: 'events/s' },
          target: allOf(
            atLeast(createRate, 5_000, '≥ 5,000/s'),
            atMost(creates.p99, 50, 'p99 ≤ 50 ms'),
            atLeast(createRate / rawPerEvent, 1, '≥ 1.0× raw pg'),
          ),
          note: note(creates),
        }),
      );

      // The export figure: one order of EXPORT_EVENTS events, anchored, exported over and over while
      // ingest runs at half the maximum measured above. First the service's background work (the
      // anomaly flags of every event stored so far, anchoring) catches up, so that the figure is of
      // exports beside ingest, not beside the backlog the saturating figures before it left.
      progress(`an order of ${EXPORT_EVENTS} events for the export figure, and waiting for background work to catch up…`);
      const bigOrder = await seedBigOrder(service.baseUrl, key, EXPORT_EVENTS);
      await waitForBackgroundWork(db.url, service.baseUrl, key, bigOrder, progress);
      progress(`bundle export while ingest runs at half the measured maximum (${Math.round(appends.perSecond / 2)}/s)…`);
      const [halfLoad, exports] = await Promise.all([
        appendLoad(service.baseUrl, key, ids, options.seconds, Math.max(1, Math.round(appends.perSecond / 2))),
        runLoad({
          url: service.baseUrl,
          method: 'GET',
          headers,
          connections: 1,
          durationSeconds: options.seconds,
          paths: [`/v1/orders/${bigOrder}/bundle`],
        }),
      ]);
      rows.push(
        benchRow({
          group: 'ingest',
          name: `bundle export (${EXPORT_EVENTS} events, all anchored) during ingest at half the maximum`,
          value: exports.p99,
          unit: 'ms p99',
          better: 'lower',
          target: atMost(exports.p99, 20, '≤ 20 ms'),
          note: `p50 ${exports.p50} ms over ${exports.total} exports; ingest meanwhile ${Math.round(halfLoad.perSecond)}/s, p99 ${halfLoad.p99} ms`,
        }),
      );

      // A brand's concurrent uploads carry different orders' events: each request in flight here
      // writes its own 1,000 orders. The worst case follows: every request the same 1,000 orders,
      // so that the requests' write groups wait on each other's row locks.
      progress(`seeding ${BULK_ORDERS.toLocaleString('en')} more shipped orders for the bulk figures…`);
      const bulkBrand = await seedShippedOrders(service.baseUrl, BULK_ORDERS, 'b');
      const bulkFigures = [
        {
          label: 'each over its own 1,000 orders',
          key: bulkBrand.key,
          ids: bulkBrand.ids,
          target: (rate: number) => atLeast(rate, 20_000, '≥ 20,000/s'),
        },
        {
          label: 'all over the same 1,000 orders (worst case)',
          key,
          ids: ids.slice(0, 1000),
          target: (rate: number) => atLeast(rate, 10_000, '≥ 10,000/s'),
        },
      ];
      for (const figure of bulkFigures) {
        progress(`POST /v1/bulk, 4 in flight × 1,000 events, ${figure.label}, ${options.seconds} s…`);
        const bulkBodies = Array.from({ length: figure.ids.length / 1000 }, (_, b) =>
          JSON.stringify({
            items: figure.ids.slice(b * 1000, (b + 1) * 1000).map((order) => ({
              event: { order, type: 'in_transit', data: { carrier: 'DHL', scan: '{i}', hub: 'Leipzig' } },
            })),
          }),
        );
        const bulk = await runLoad({
          url: service.baseUrl,
          method: 'POST',
          headers: { ...headers, authorization: `Bearer ${figure.key}` },
          connections: 4,
          durationSeconds: options.seconds,
          paths: ['/v1/bulk'],
          bodies: bulkBodies,
        });
        const bulkRate = (bulk.ok * 1000) / (bulk.total / bulk.perSecond);
        rows.push(
          benchRow({
            group: 'ingest',
            name: `POST /v1/bulk, 4 in flight × 1,000 events ${figure.label}, ${WORKERS}, durable`,
            value: bulkRate,
            unit: 'events/s',
            better: 'higher',
            baseline: { name: 'raw pg, multi-row INSERT of 1,000 events', value: rawMultiRow, unit: 'rows/s' },
            target: figure.target(bulkRate),
            note: note(bulk),
          }),
        );
      }
    } finally {
      await service.stop();
    }

    if (options.infoLevel) {
      // The same appends at the default log level (info), with one HTTP process per core
      // (HTTP_WORKERS=auto) against the default of one, and with --profile under a CPU profiler.
      const stages: { workers: string; logLevel: string; label: string; profile: boolean; creates?: boolean }[] = [
        { workers: '1', logLevel: 'info', label: `${WORKERS}, LOG_LEVEL=info`, profile: false },
        { workers: 'auto', logLevel: 'warn', label: `HTTP_WORKERS=auto (${AUTO_WORKERS})`, profile: false },
        ...(options.profile
          ? [
              { workers: '1', logLevel: 'warn', label: 'HTTP_WORKERS=1 (profiled)', profile: true },
              { workers: '1', logLevel: 'warn', label: 'HTTP_WORKERS=1 (profiled)', profile: true, creates: true },
            ]
          : []),
      ];
      for (const stage of stages) {
        const route = stage.creates === true ? 'POST /v1/orders' : 'POST /v1/orders/{id}/events';
        progress(`${route} with ${stage.label}…`);
        const profileDir = stage.profile ? mkdtempSync(join(tmpdir(), 'ordertrace-profile-')) : null;
        service = await startService(
          { ...env, HTTP_WORKERS: stage.workers, LOG_LEVEL: stage.logLevel },
          join(logDir, `service-${stage.workers}-${stage.logLevel}${stage.profile ? '-profiled' : ''}.log`),
          profileDir === null ? [] : ['--cpu-prof', `--cpu-prof-dir=${profileDir}`],
        );
        let window: [number, number] = [0, 0];
        try {
          const { key, ids } = await seedShippedOrders(service.baseUrl, ORDERS, `w${stages.indexOf(stage)}`);
          const loadFrom = Date.now() - service.startedAt;
          const r =
            stage.creates === true
              ? await createLoad(service.baseUrl, key, options.seconds)
              : await appendLoad(service.baseUrl, key, ids, options.seconds);
          window = [loadFrom, Date.now() - service.startedAt];
          rows.push(
            benchRow({
              group: 'ingest',
              name: `${route}, c=${CONNECTIONS}, ${stage.label}`,
              value: okPerSecond(r),
              unit: stage.creates === true ? 'orders/s' : 'events/s',
              better: 'higher',
              baseline: { name: RAW_PER_EVENT, value: rawPerEvent, unit: 'events/s' },
              note: note(r),
            }),
          );
        } finally {
          // A profile is written as the process exits.
          await service.stop();
        }
        if (profileDir !== null) {
          // Leave out the load's first and last half second: connections opening and closing.
          const shares = phaseShares(readCpuProfile(profileDir), window[0] + 500, window[1] - 500);
          rmSync(profileDir, { recursive: true, force: true });
          for (const { phase, share } of shares) {
            rows.push(
              benchRow({
                group: 'profile',
                name: `one worker's CPU under ${stage.creates === true ? 'order creates' : 'event appends'}: ${phase}`,
                value: share * 100,
                unit: '% of busy time',
                better: 'lower',
              }),
            );
          }
        }
      }
    }
    await db.drop();

    rows.push(...(await sealingBenchmark(progress, options.sealEvents)));
    rows.push(...(await gasBenchmark(progress, chain)));
  } finally {
    await chain?.stop();
    rmSync(logDir, { recursive: true, force: true });
  }
  return rows;
}

/** Sealing stored events into batches of 10,000, against reading their leaves alone. */
async function sealingBenchmark(progress: (line: string) => void, count: number): Promise<BenchRow[]> {
  const perBatch = 10_000;
  const db = await createTestDatabase();
  const dataSource = await openDataSource({ driver: 'postgres', url: db.url, poolSize: 4 });
  try {
    progress(`sealing: storing ${count.toLocaleString('en')} events at their batch positions…`);
    await dataSource.query(`INSERT INTO brands (id, slug, name) VALUES (gen_random_uuid(), 'seal', 'Seal')`);
    await dataSource.query(
      `INSERT INTO orders (id, brand_id, reference, status, last_seq)
       SELECT 'ord_S' || lpad(o::text, 25, '0'), (SELECT id FROM brands), o::text, 'shipped', 10 FROM generate_series(0, $1::int - 1) AS o`,
      [Math.ceil(count / 10)],
    );
    for (let start = 0; start < count; start += 200_000) {
      const end = Math.min(count, start + 200_000);
      await dataSource.query(
        `INSERT INTO events (order_id, seq, type, record, leaf, batch_seq, batch_index, created_at)
         SELECT 'ord_S' || lpad((i / 10)::text, 25, '0'), i % 10 + 1, 'in_transit', '{}', '0x' || encode(sha256(i::text::bytea), 'hex'),
                i / $3::int + 1, i % $3::int, now()
           FROM generate_series($1::int, $2::int - 1) AS i`,
        [start, end, perBatch],
      );
      progress(`  ${end.toLocaleString('en')} stored`);
    }
    const batches = Math.ceil(count / perBatch);
    await dataSource.query(`UPDATE ingest_head SET open_batch = $1, next_index = 0`, [batches + 1]);
    await dataSource.query(`VACUUM ANALYZE events`);

    progress('sealing: baseline, reading every leaf in batch order…');
    const r0 = performance.now();
    await dataSource.query(`SELECT leaf FROM events ORDER BY batch_seq, batch_index`);
    const readMs = performance.now() - r0;

    progress(`sealing ${batches} batches…`);
    // The sealer logs each batch; the bench reports them itself.
    Logger.overrideLogger(['error']);
    const sealer = new BatchSealerService(
      new BatchesRepository(dataSource),
      {
        anchoring: { enabled: true, batchMaxEvents: perBatch, batchMaxWaitMs: 1_000 },
      } as AppConfig,
      new MetricsService(),
    );
    const s0 = performance.now();
    let sealed = 0;
    while (sealed < batches) {
      const done = await sealer.sealDue();
      if (done.length === 0) throw new Error(`sealing stopped after ${sealed} of ${batches} batches`);
      sealed += done.length;
    }
    const sealMs = performance.now() - s0;
    return [
      benchRow({
        group: 'sealing',
        name: `seal ${count.toLocaleString('en')} stored events (batches of ${perBatch.toLocaleString('en')})`,
        value: sealMs / 1000,
        unit: 's',
        better: 'lower',
        baseline: { name: 'reading every leaf once', value: readMs / 1000, unit: 's' },
        target: count >= 1_000_000 ? atMost(sealMs / 1000, 20, '≤ 20 s for 10^6') : undefined,
        note: `${Math.round(count / (sealMs / 1000)).toLocaleString('en')} events/s`,
      }),
    ];
  } finally {
    await dataSource.destroy();
    await db.drop();
  }
}

/** Gas of `anchor` for a batch of one leaf and of 10,000 leaves, on a fresh contract. */
async function gasBenchmark(progress: (line: string) => void, chain: TestChain): Promise<BenchRow[]> {
  progress('gas per anchor…');
  const anchorer = chain.wallets[2];
  const deployed = await deployTestAnchor(chain, { anchorer: anchorer.address });
  const contract = new Contract(deployed.address, ['function anchor(uint64 seq, bytes32 root, uint32 leafCount)'], anchorer);
  const rows: BenchRow[] = [];
  const leaves = (n: number): Hex[] => Array.from({ length: n }, (): Hex => `0x${randomBytes(32).toString('hex')}`);
  let seq = 1;
  // The first anchor also creates the contract's first slot; steady state is what every later batch pays.
  for (const n of [1, 1, 10_000, 1, 10_000]) {
    const tx = (await contract.getFunction('anchor')(seq, MerkleTree.build(leaves(n)).root, n)) as { wait(): Promise<{ gasUsed: bigint }> };
    const gas = Number((await tx.wait()).gasUsed);
    if (seq >= 4) {
      rows.push(
        benchRow({
          group: 'anchoring',
          name: `anchor gas, batch of ${n.toLocaleString('en')} ${n === 1 ? 'leaf' : 'leaves'}`,
          value: gas,
          unit: 'gas',
          better: 'lower',
          target: atMost(gas, 51_500, '≤ 51,500'),
          note: 'floor about 46,000: 21,000 per transaction + 22,100 for the new slot + calldata + log',
        }),
      );
    }
    seq += 1;
  }
  return rows;
}
