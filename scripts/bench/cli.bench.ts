/**
 * CLI benchmarks, each against a baseline measured in the same run:
 * - `ordertrace verify` of a 20-event bundle, wall time of the whole process (spawned as a user
 *   runs it), against `node -e 0` and against node requiring nothing but the proof core.
 * - `ordertrace audit` of a database of ~10^6 events (orders of 10 events, sealed batches of
 *   10,000 anchored on a Hardhat node), against reading the same rows with a bare pg cursor.
 * Data is generated anew on every run (nothing cached) straight into PostgreSQL, in the schema the
 * server's migrations create; the audit must find it clean, or the run fails.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keccak256 as jsKeccak256 } from 'js-sha3';
import type { TransactionReceipt } from 'ethers';
import { Client } from 'pg';
import Cursor from 'pg-cursor';
import type { Hex } from '../../proof/bytes';
import { canonicalJson } from '../../proof/canonical';
import { GENESIS_PREV, leafHashOfCanonical } from '../../proof/hashes';
import { MerkleTree } from '../../proof/merkle';
import { openDataSource } from '../../server/database/data-source-options';
import { waitFor } from '../../test/support/anchoring-fixture';
import { createBrand, startAnchoringTestApp, startTestApp } from '../../test/support/app';
import { deployTestAnchor, startTestChain } from '../../test/support/chain';
import { createTestDatabase, everythingAnchored } from '../../test/support/database';
import { percentile } from '../stats';
import { atLeast, atMost, benchRow, type BenchRow } from './bench-row';

const ROOT = join(__dirname, '..', '..');
const BIN = join(ROOT, 'cli', 'bin', 'ordertrace.js');

export interface CliBenchOptions {
  /** Skip the 10^6-event audit (the longest part). */
  skipAudit?: boolean;
  /** Skip the verify start-up benchmark. */
  skipVerify?: boolean;
  /** Process runs per figure of the verify benchmark. */
  verifyRuns?: number;
  /** Orders in the audit database; 10 events each. */
  auditOrders?: number;
  /** Skip `audit --api` (public batches over HTTP). */
  skipAuditApi?: boolean;
  /** Orders behind the API audited by `audit --api`; 10 events each. */
  auditApiOrders?: number;
}

const VERIFY_TARGET_MS = 300;
const AUDIT_TARGET_EVENTS_PER_SECOND = Math.ceil(1_000_000 / 30);
/** `audit --api`: 100,000 events in 30 s. */
const AUDIT_API_TARGET_EVENTS_PER_SECOND = Math.ceil(100_000 / 30);

export async function runCliBenchmarks(progress: (line: string) => void, options: CliBenchOptions = {}): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  if (!options.skipVerify) rows.push(...(await verifyBenchmark(progress, options.verifyRuns ?? 20)));
  if (!options.skipAudit) rows.push(...(await auditBenchmark(progress, options.auditOrders ?? 100_000)));
  if (!options.skipAuditApi) rows.push(...(await auditApiBenchmark(progress, options.auditApiOrders ?? 10_000)));
  return rows;
}

interface ProcessRun {
  code: number | null;
  ms: number;
  stdout: string;
  stderr: string;
}

function runProcess(args: string[], env: NodeJS.ProcessEnv = {}): Promise<ProcessRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, ms: performance.now() - started, stdout, stderr }));
  });
}

async function timeRuns(runs: number, args: string[], check: (run: ProcessRun) => void): Promise<{ p50: number; p99: number }> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const run = await runProcess(args);
    check(run);
    times.push(run.ms);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99) };
}

async function verifyBenchmark(progress: (line: string) => void, runs: number): Promise<BenchRow[]> {
  progress('cli: an anchored 20-event order (server, PostgreSQL, Hardhat node)…');
  const running = await startAnchoringTestApp({ BATCH_MAX_WAIT_MS: '200' });
  const dir = mkdtempSync(join(tmpdir(), 'ordertrace-bench-'));
  let appOpen = true;
  try {
    const app = running.t;
    const brand = await createBrand(app);
    const headers = { authorization: `Bearer ${brand.key}`, 'content-type': 'application/json' };
    const post = async (path: string, body: unknown): Promise<{ id?: string }> => {
      const res = await fetch(`${app.baseUrl}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
      if (res.status !== 201) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`);
      return (await res.json()) as { id?: string };
    };
    const { id } = await post('/v1/orders', { reference: 'BENCH-CLI', data: { channel: 'web' } });
    for (const type of ['paid', 'packed', 'shipped']) await post(`/v1/orders/${id}/events`, { type });
    for (let i = 0; i < 15; i++) await post(`/v1/orders/${id}/events`, { type: 'in_transit', data: { scan: i } });
    await post(`/v1/orders/${id}/events`, { type: 'delivered' });
    await waitFor('the order anchored', () => everythingAnchored(app.database!), 60_000, 100);
    const bundle = await (await fetch(`${app.baseUrl}/v1/orders/${id}/bundle`, { headers })).text();
    const file = join(dir, 'bundle.json');
    writeFileSync(file, bundle);
    const events = (JSON.parse(bundle) as { events: unknown[] }).events.length;
    // Only the chain is needed from here on; the server's sealing loop would compete for the CPU.
    appOpen = false;
    await app.close();

    const mustSucceed = (what: string) => (run: ProcessRun) => {
      if (run.code !== 0) throw new Error(`${what} exited with ${run.code}: ${run.stderr.trim()}`);
    };
    progress(`cli: node -e 0 × ${runs}…`);
    const bare = await timeRuns(runs, ['-e', '0'], mustSucceed('node -e 0'));
    progress(`cli: node requiring the built proof core × ${runs}…`);
    const core = await timeRuns(
      runs,
      [
        '-e',
        `require(${JSON.stringify(join(ROOT, 'dist', 'proof', 'verify.js'))}); require(${JSON.stringify(join(ROOT, 'dist', 'proof', 'rpc-chain-reader.js'))})`,
      ],
      mustSucceed('node requiring the proof core'),
    );
    progress(`cli: ordertrace verify (${events} events) × ${runs}…`);
    const verify = await timeRuns(
      runs,
      [BIN, 'verify', file, '--rpc', running.chain.rpcUrl, '--contract', running.contract, '--json'],
      (run) => {
        mustSucceed('ordertrace verify')(run);
        const verdict = (JSON.parse(run.stdout) as { verdict?: string }).verdict;
        if (verdict !== 'verified') throw new Error(`ordertrace verify said ${verdict}, not verified`);
      },
    );
    return [
      benchRow({
        group: 'cli',
        name: `ordertrace verify, ${events}-event bundle, whole process (p50 of ${runs})`,
        value: verify.p50,
        unit: 'ms',
        better: 'lower',
        baseline: { name: 'node -e 0 (p50)', value: bare.p50, unit: 'ms' },
        target: atMost(verify.p50, VERIFY_TARGET_MS, `≤ ${VERIFY_TARGET_MS} ms`),
        note: `p99 ${verify.p99.toFixed(0)} ms; node -e 0 p99 ${bare.p99.toFixed(0)} ms; node + proof core p50 ${core.p50.toFixed(0)} ms`,
      }),
      benchRow({
        group: 'cli',
        name: `ordertrace verify, ${events}-event bundle, whole process (p99 of ${runs})`,
        value: verify.p99,
        unit: 'ms',
        better: 'lower',
        baseline: { name: 'node requiring the proof core (p99)', value: core.p99, unit: 'ms' },
        target: atMost(verify.p99, VERIFY_TARGET_MS, `≤ ${VERIFY_TARGET_MS} ms`),
      }),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
    if (appOpen) await running.t.close();
    await running.chain.stop();
  }
}

const EVENTS_PER_ORDER = 10;
/** Orders whose events are interleaved, as concurrent orders are; × 10 events = one sealed batch. */
const ORDERS_PER_BLOCK = 1000;
const TYPES = [
  'created',
  'paid',
  'packed',
  'shipped',
  'in_transit',
  'in_transit',
  'in_transit',
  'in_transit',
  'out_for_delivery',
  'delivered',
];
/**
 * The generator hashes with js-sha3, faster here than the proof core's hashing; the first record's
 * leaf and the first batch's root are checked against the proof core, so the data stays valid.
 */
function generatorLeaf(canonical: string): string {
  return `0x${jsKeccak256.create().update([0]).update(canonical).hex()}`;
}

function generatorRoot(leaves: readonly string[]): string {
  let level = leaves;
  while (level.length > 1) {
    const next: string[] = [];
    for (let i = 0; i < level.length; i += 2) {
      if (i + 1 === level.length) {
        next.push(level[i]); // odd node carried up
        continue;
      }
      // Lowercase hex of equal length sorts as the bytes do.
      const [a, b] = level[i] <= level[i + 1] ? [level[i], level[i + 1]] : [level[i + 1], level[i]];
      next.push(`0x${jsKeccak256(Buffer.from(a.slice(2) + b.slice(2), 'hex'))}`);
    }
    level = next;
  }
  return level[0];
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

function orderId(n: number): string {
  let tail = '';
  for (let x = n, i = 0; i < 10; i++, x = Math.floor(x / 32)) tail = CROCKFORD[x % 32] + tail;
  return `ord_01JD3ZK7Q9T4W8${tail}`;
}

/** A record's canonical JSON (RFC 8785: keys in code-unit order, no spaces), written directly. */
function recordJson(brand: string, order: string, seq: number, at: string, n: number, sealed: string, prev: string): string {
  const data = seq === 1 ? `{"channel":"web","items":${(n % 5) + 1}}` : seq >= 5 && seq <= 8 ? `{"hub":"H${n % 97}","scan":${seq}}` : '{}';
  const sealedJson = seq === 1 ? `{"customer":"${sealed}"}` : '{}';
  return `{"at":"${at}","brand":"${brand}","data":${data},"order":"${order}","prev":"${prev}","recorded":"${at}","sealed":${sealedJson},"seq":${seq},"type":"${TYPES[seq - 1]}","v":1}`;
}

interface GeneratedAudit {
  databaseUrl: string;
  events: number;
  contract: string;
  drop(): Promise<void>;
}

async function auditBenchmark(progress: (line: string) => void, orders: number): Promise<BenchRow[]> {
  progress('cli: Hardhat node and PostgreSQL database for the audit…');
  const chain = await startTestChain();
  let generated: GeneratedAudit | null = null;
  try {
    generated = await generateAuditDatabase(progress, chain, orders);
    progress(`cli: baseline: the audit's rows read with a bare pg cursor…`);
    const bare = await readRowsBare(generated.databaseUrl);
    progress(`cli: ordertrace audit of ${generated.events.toLocaleString('en')} events…`);
    const run = await runProcess([BIN, 'audit', '--database-url', generated.databaseUrl, '--rpc', chain.rpcUrl, '--json']);
    const result = JSON.parse(run.stdout || '{}') as {
      events?: number;
      batches?: number;
      discrepancyCount?: number;
      discrepancies?: unknown[];
    };
    if (run.code !== 0 || result.events !== generated.events || result.discrepancyCount !== 0) {
      throw new Error(
        `ordertrace audit exited with ${run.code}, saw ${result.events} events and ${result.discrepancyCount} discrepancies: ` +
          `${JSON.stringify(result.discrepancies?.slice(0, 2))} ${run.stderr.trim().split('\n').slice(-2).join(' | ')}`,
      );
    }
    const eventsPerSecond = (generated.events / run.ms) * 1000;
    return [
      benchRow({
        group: 'cli',
        name: `ordertrace audit, ${generated.events.toLocaleString('en')} events in ${result.batches} anchored batches, whole process`,
        value: run.ms / 1000,
        unit: 's',
        better: 'lower',
        baseline: { name: 'the same rows read with a bare pg cursor (both passes)', value: bare.ms / 1000, unit: 's' },
        // 10^6 events in 30 s, scaled to the events generated (smaller runs via options.auditOrders).
        target: atLeast(
          eventsPerSecond,
          AUDIT_TARGET_EVENTS_PER_SECOND,
          `≥ ${AUDIT_TARGET_EVENTS_PER_SECOND.toLocaleString('en')} events/s (10^6 in ≤ 30 s)`,
        ),
        note: `${Math.round(eventsPerSecond).toLocaleString('en')} events/s; bare read of ${bare.rows.toLocaleString('en')} rows (both passes); generation not timed`,
      }),
    ];
  } finally {
    await generated?.drop();
    await chain.stop();
  }
}

/**
 * `ordertrace audit --api` of the public batches of a generated database served by the real server,
 * against fetching the same pages with fetch and JSON.parse alone (no hashing, no chain).
 */
async function auditApiBenchmark(progress: (line: string) => void, orders: number): Promise<BenchRow[]> {
  progress('cli: Hardhat node, PostgreSQL database and server for audit --api…');
  const chain = await startTestChain();
  let generated: GeneratedAudit | null = null;
  const dir = mkdtempSync(join(tmpdir(), 'ordertrace-bench-audit-api-'));
  try {
    generated = await generateAuditDatabase(progress, chain, orders);
    const app = await startTestApp({ env: { DATABASE_URL: generated.databaseUrl, ORDERTRACE_ANCHORING: 'off' } });
    try {
      const trust = join(dir, 'trust.json');
      writeFileSync(
        trust,
        JSON.stringify({ format: 'ordertrace-trust/1', chainId: 31337, contract: generated.contract, rpc: [chain.rpcUrl] }),
      );
      progress('cli: baseline: the public batch pages fetched and parsed…');
      const started = performance.now();
      for (let after = 0, more = true; more;) {
        const page = (await (await fetch(`${app.baseUrl}/public/batches?after=${after}&limit=1000`)).json()) as {
          items: { seq: number }[];
          nextAfter: number | null;
        };
        for (const item of page.items) await (await fetch(`${app.baseUrl}/public/batches/${item.seq}`)).json();
        more = page.nextAfter !== null;
        after = page.nextAfter ?? after;
      }
      const bareMs = performance.now() - started;
      progress(`cli: ordertrace audit --api of ${generated.events.toLocaleString('en')} events…`);
      const run = await runProcess([BIN, 'audit', '--api', app.baseUrl, '--trust', trust, '--json']);
      const result = JSON.parse(run.stdout || '{}') as { leaves?: number; batches?: number; discrepancyCount?: number };
      if (run.code !== 0 || result.leaves !== generated.events || result.discrepancyCount !== 0) {
        throw new Error(
          `ordertrace audit --api exited with ${run.code}, saw ${result.leaves} leaves: ${run.stderr.trim().split('\n').slice(-2).join(' | ')}`,
        );
      }
      const eventsPerSecond = (generated.events / run.ms) * 1000;
      return [
        benchRow({
          group: 'cli',
          name: `ordertrace audit --api, ${generated.events.toLocaleString('en')} events in ${result.batches} anchored batches, whole process`,
          value: run.ms / 1000,
          unit: 's',
          better: 'lower',
          baseline: { name: 'the same public pages fetched and parsed, nothing checked', value: bareMs / 1000, unit: 's' },
          target: atLeast(
            eventsPerSecond,
            AUDIT_API_TARGET_EVENTS_PER_SECOND,
            `≥ ${AUDIT_API_TARGET_EVENTS_PER_SECOND.toLocaleString('en')} events/s (10^5 in ≤ 30 s)`,
          ),
          note: `${Math.round(eventsPerSecond).toLocaleString('en')} events/s; generation not timed`,
        }),
      ];
    } finally {
      await app.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await generated?.drop();
    await chain.stop();
  }
}

/** Both passes of the audit (events joined to orders and brands; batches with their leaves), read and dropped. */
async function readRowsBare(url: string): Promise<{ ms: number; rows: number }> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const started = performance.now();
    let rows = 0;
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    for (const sql of [
      `SELECT e.order_id, e.seq, e.type, e.record, e.leaf, e.batch_seq, b.slug AS brand_slug, o.last_seq, o.last_leaf
         FROM events e JOIN orders o ON o.id = e.order_id JOIN brands b ON b.id = o.brand_id ORDER BY e.order_id, e.seq`,
      `SELECT bt.seq, bt.root, bt.leaf_count, bt.status, bt.contract, bt.chain_id, e.batch_index, e.leaf
         FROM batches bt LEFT JOIN events e ON e.batch_seq = bt.seq ORDER BY bt.seq, e.batch_index`,
    ]) {
      const cursor = client.query(new Cursor(sql));
      for (;;) {
        const page = await cursor.read(10_000);
        if (page.length === 0) break;
        rows += page.length;
      }
      await cursor.close();
    }
    await client.query('ROLLBACK');
    return { ms: performance.now() - started, rows };
  } finally {
    await client.end();
  }
}

/**
 * `orders` orders of 10 events with valid hash chains, sealed into batches of 10,000 events whose
 * roots are anchored on `chain` (a freshly deployed OrderAnchor) and recorded as confirmed.
 */
export async function generateAuditDatabase(
  progress: (line: string) => void,
  chain: Awaited<ReturnType<typeof startTestChain>>,
  orders: number,
): Promise<GeneratedAudit> {
  const started = performance.now();
  const database = await createTestDatabase();
  try {
    // The schema exactly as the server's migrations make it.
    await (await openDataSource({ driver: 'postgres', url: database.url, poolSize: 1 })).destroy();
    const deployed = await deployTestAnchor(chain);
    const anchor = deployed.contract;
    const network = await chain.provider.getNetwork();
    const chainId = Number(network.chainId);
    const contract = deployed.address.toLowerCase();

    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      const brands = Array.from({ length: 10 }, (_, i) => ({ id: crypto.randomUUID(), slug: `bench-${i}` }));
      await client.query(`INSERT INTO brands (id, slug, name) SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[])`, [
        brands.map((b) => b.id),
        brands.map((b) => b.slug),
        brands.map((b) => `Brand ${b.slug}`),
      ]);
      await client.query(`INSERT INTO service_state (key, value) VALUES ('anchoring.chain', $1)`, [JSON.stringify({ chainId, contract })]);

      const blocks = Math.ceil(orders / ORDERS_PER_BLOCK);
      const base = Date.parse('2026-01-01T00:00:00.000Z');
      const commitment = `0x${randomBytes(32).toString('hex')}`;
      let eventId = 0;
      let checked = false;
      let pendingInsert: Promise<unknown> = Promise.resolve();
      let anchoring: Promise<TransactionReceipt | null> = Promise.resolve(null);
      for (let block = 0; block < blocks; block++) {
        const first = block * ORDERS_PER_BLOCK;
        const count = Math.min(ORDERS_PER_BLOCK, orders - first);
        const ids: string[] = [];
        const brandOf: string[] = [];
        const last: string[] = [];
        for (let i = 0; i < count; i++) {
          ids.push(orderId(first + i));
          brandOf.push(brands[(first + i) % brands.length].slug);
          last.push(GENESIS_PREV);
        }
        const ev = {
          id: [] as string[],
          order: [] as string[],
          seq: [] as number[],
          type: [] as string[],
          record: [] as string[],
          leaf: [] as string[],
          index: [] as number[],
        };
        for (let seq = 1; seq <= EVENTS_PER_ORDER; seq++) {
          for (let i = 0; i < count; i++) {
            const n = first + i;
            const at = new Date(base + (eventId + 1) * 37).toISOString();
            const json = recordJson(brandOf[i], ids[i], seq, at, n, commitment, last[i]);
            const leaf = generatorLeaf(json);
            if (!checked) {
              if (canonicalJson(JSON.parse(json)) !== json) throw new Error('generated record is not canonical JSON');
              if (leafHashOfCanonical(json) !== leaf) throw new Error('the generator hashes records unlike the proof core');
              checked = true;
            }
            last[i] = leaf;
            eventId++;
            ev.id.push(String(eventId));
            ev.order.push(ids[i]);
            ev.seq.push(seq);
            ev.type.push(TYPES[seq - 1]);
            ev.record.push(json);
            ev.leaf.push(leaf);
            ev.index.push(ev.index.length);
          }
        }
        const batchSeq = block + 1;
        const root = generatorRoot(ev.leaf);
        if (block === 0 && MerkleTree.build(ev.leaf as Hex[]).root !== root)
          throw new Error('the generator builds roots unlike the proof core');
        // Transactions go out one after another (nonces), while the next batch is generated.
        anchoring = anchoring.then(async () => {
          const receipt = await (await anchor.anchor(batchSeq, root, ev.leaf.length)).wait();
          if (!receipt) throw new Error(`anchoring batch ${batchSeq} returned no receipt`);
          return receipt;
        });
        const anchored = anchoring;
        const firstId = ev.id[0];
        const lastId = ev.id[ev.id.length - 1];
        await pendingInsert;
        pendingInsert = (async () => {
          await client.query(
            `INSERT INTO orders (id, brand_id, reference, status, last_seq, last_leaf)
             SELECT o.id, b.id, o.id, 'delivered', ${EVENTS_PER_ORDER}, o.last FROM unnest($1::text[], $2::text[], $3::text[]) AS o(id, slug, last)
             JOIN brands b ON b.slug = o.slug`,
            [ids, brandOf, last],
          );
          await client.query(
            `INSERT INTO events (id, order_id, seq, type, record, leaf, batch_seq, batch_index)
             SELECT id, order_id, seq, type, record, leaf, ${batchSeq}, batch_index
               FROM unnest($1::bigint[], $2::text[], $3::int[], $4::text[], $5::text[], $6::text[], $7::int[])
                 AS t(id, order_id, seq, type, record, leaf, batch_index)`,
            [ev.id, ev.order, ev.seq, ev.type, ev.record, ev.leaf, ev.index],
          );
          const receipt = await anchored;
          if (!receipt) throw new Error(`batch ${batchSeq} was not anchored`);
          await client.query(
            `INSERT INTO batches (seq, root, leaf_count, first_event_id, last_event_id, status, tx_hash, block_number, block_hash, chain_id, contract, submitted_at, confirmed_at)
             VALUES ($1, $2, $3, $4, $5, 'confirmed', $6, $7, $8, $9, $10, now(), now())`,
            [batchSeq, root, ev.leaf.length, firstId, lastId, receipt.hash, receipt.blockNumber, receipt.blockHash, chainId, contract],
          );
        })();
        if (block % 10 === 9 || block === blocks - 1) {
          progress(
            `cli: generated ${eventId.toLocaleString('en')} events, ${batchSeq} batches anchored (${((performance.now() - started) / 1000).toFixed(0)} s)`,
          );
        }
      }
      await pendingInsert;
      await client.query(`SELECT setval(pg_get_serial_sequence('events', 'id'), $1)`, [eventId]);
      await client.query('ANALYZE');
      progress(`cli: audit database ready in ${((performance.now() - started) / 1000).toFixed(0)} s`);
      return { databaseUrl: database.url, events: eventId, contract, drop: () => database.drop() };
    } finally {
      await client.end();
    }
  } catch (err) {
    await database.drop();
    throw err;
  }
}
