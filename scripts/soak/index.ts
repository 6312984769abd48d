/**
 * `npm run soak -- --minutes N`: the server (a child process on real PostgreSQL and a Hardhat node)
 * under mixed traffic at a steady rate for N minutes — orders, events, bulk requests, bundle exports,
 * evidence PDFs, public page calls and consumer receipts — then checks that no answer was an
 * unexpected error (409s and 429s are counted apart), that every event got anchored, that memory
 * after a forced GC at the end is within 10% of that after the warm-up (the first two minutes, or half
 * a shorter run), and reports the event-loop delay. Memory is sampled every few seconds after the
 * warm-up and each end of the run judged by the median of its samples: resident memory of one sample
 * swings with the allocator's timing, a leak moves the median.
 * Progress on stderr; the report on stdout (JSON with --json). Exit code 1 when a check fails.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { percentile } from '../stats';
import { type MemorySample, memoryEnds } from './memory';
import { ANCHORED_TOPIC } from '../../proof/chain-reader';
import { orderAnchorAt } from '../../server/anchoring/order-anchor.contract';
import {
  type FaultFixture,
  seedBrand,
  spawnServer,
  startFaultFixture,
  type ServerProcess,
  waitFor,
} from '../../test/support/anchoring-fixture';

export interface SoakOptions {
  seconds: number;
  /** Requests per second, all kinds together. */
  rate: number;
  json: boolean;
}

interface Probe {
  rss: number;
  heapUsed: number;
  eventLoopDelay: { p50: number; p99: number; max: number };
}

interface KindStats {
  requests: number;
  ok: number;
  /** 409 (a receipt twice, an order not shipped yet) and 429 (public rate limits): expected answers. */
  expected: number;
  unexpected: number;
  latencies: number[];
}

export interface SoakReport {
  seconds: number;
  rate: number;
  requests: number;
  achievedRate: number;
  ok: number;
  expected: Record<string, number>;
  unexpected: number;
  unexpectedSamples: string[];
  kinds: Record<string, { requests: number; ok: number; expected: number; unexpected: number; p50Ms: number; p99Ms: number }>;
  events: number;
  batches: number;
  unanchored: number;
  contractLastSeq: number;
  anchoredLogs: number;
  memory: {
    /** Medians of the first third of the samples after the warm-up. */
    afterWarmUp: { rssMb: number; heapUsedMb: number };
    /** Medians of the last third of the samples, the last taken once every event was anchored. */
    end: { rssMb: number; heapUsedMb: number };
    rssGrowth: number;
    heapGrowth: number;
    /** Every sample after GC, in order: seconds into the run, resident and heap MB. */
    samples: { atS: number; rssMb: number; heapUsedMb: number }[];
  };
  eventLoopDelayMs: { p50: number; p99: number; max: number };
  checks: Record<string, boolean>;
  passed: boolean;
}

/** Memory after GC at the end may exceed that after the warm-up by this fraction. */
const MEMORY_TOLERANCE = 0.1;

/** When memory is measured as the baseline: this long into the run, or half of it if shorter. */
const WARM_UP_MS = 120_000;
/** How often memory is sampled (after a forced GC) once warmed up. */
const MEMORY_SAMPLE_MS = 10_000;
const SCAN_STEPS = ['paid', 'packed', 'shipped', 'in_transit', 'out_for_delivery', 'delivered'] as const;

/**
 * The traffic mix: weights of each kind of request. At the default rate the rate-limited public calls
 * (order, chain, receipt: 120 a minute per address, receipts 10) stay just under their limits.
 */
const MIX: readonly [Kind, number][] = [
  ['order', 14],
  ['event', 44],
  ['bulk', 4],
  ['read', 10],
  ['bundle', 12],
  ['pdf', 2],
  ['qr', 4],
  ['public-order', 4],
  ['public-chain', 1],
  ['verifier-page', 2],
  ['receipt', 0.5],
];
type Kind = 'order' | 'event' | 'bulk' | 'read' | 'bundle' | 'pdf' | 'qr' | 'public-order' | 'public-chain' | 'verifier-page' | 'receipt';

interface SoakOrder {
  id: string;
  step: number;
  token: string | null;
  received: boolean;
}

function progress(message: string): void {
  process.stderr.write(`[soak ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

const mb = (bytes: number): number => Math.round((bytes / 1024 / 1024) * 10) / 10;

class ServerProbe {
  private next = 0;
  constructor(private readonly server: ServerProcess) {}

  measure(options: { gc: boolean; resetDelay: boolean }): Promise<Probe> {
    const id = ++this.next;
    const child = this.server.process;
    return new Promise<Probe>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the server did not answer the probe within 30 s')), 30_000);
      const onMessage = (message: unknown): void => {
        const m = message as { type?: string; id?: number } & Probe;
        if (m?.type !== 'probe' || m.id !== id) return;
        clearTimeout(timer);
        child.off('message', onMessage);
        resolve({ rss: m.rss, heapUsed: m.heapUsed, eventLoopDelay: m.eventLoopDelay });
      };
      child.on('message', onMessage);
      child.send({ type: 'probe', id, ...options });
    });
  }
}

export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  progress(`starting PostgreSQL database, Hardhat node and server; ${options.seconds} s at ${options.rate} requests/s`);
  // One server process (HTTP_WORKERS=1), so that the probe measures the process that serves.
  const fixture: FaultFixture = await startFaultFixture({
    BATCH_MAX_EVENTS: '500',
    BATCH_MAX_WAIT_MS: '1000',
    LOG_LEVEL: 'warn',
    HTTP_WORKERS: '1',
    // As docs/operations.md recommends: evidence PDFs allocate large short-lived buffers (the
    // embedded fonts), and glibc's per-thread arenas would keep their pages as resident memory.
    MALLOC_ARENA_MAX: '2',
  });
  const server = spawnServer(fixture.env, 'soak', { nodeArgs: ['--expose-gc', '-r', join(__dirname, 'server-probe.js')], ipc: true });
  try {
    const baseUrl = await server.baseUrl;
    const key = await seedBrand(baseUrl);
    const probe = new ServerProbe(server);
    const stats = new Map<Kind, KindStats>(MIX.map(([k]) => [k, { requests: 0, ok: 0, expected: 0, unexpected: 0, latencies: [] }]));
    const expectedByStatus = new Map<number, number>();
    const unexpectedSamples: string[] = [];
    const orders: SoakOrder[] = [];
    let counter = 0;

    const request = async (
      kind: Kind,
      method: string,
      path: string,
      opts: { body?: unknown; auth?: boolean; headers?: Record<string, string>; expected?: number[] } = {},
    ): Promise<{ status: number; body: unknown } | null> => {
      const s = stats.get(kind)!;
      s.requests++;
      const started = performance.now();
      try {
        const res = await fetch(`${baseUrl}${path}`, {
          method,
          headers: {
            ...(opts.auth === false ? {} : { authorization: `Bearer ${key}` }),
            ...(opts.body === undefined ? {} : { 'content-type': 'application/json' }),
            ...opts.headers,
          },
          body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
          signal: AbortSignal.timeout(30_000),
        });
        const type = res.headers.get('content-type') ?? '';
        const body: unknown = type.includes('json') ? await res.json() : await res.arrayBuffer();
        s.latencies.push(performance.now() - started);
        if (res.status >= 200 && res.status < 300) s.ok++;
        else if ([409, 429, ...(opts.expected ?? [])].includes(res.status)) {
          s.expected++;
          expectedByStatus.set(res.status, (expectedByStatus.get(res.status) ?? 0) + 1);
        } else {
          s.unexpected++;
          if (s.unexpected <= 3) unexpectedSamples.push(`${method} ${path} -> ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
        }
        return { status: res.status, body };
      } catch (err) {
        s.unexpected++;
        if (s.unexpected <= 3) unexpectedSamples.push(`${method} ${path} -> ${(err as Error).message}`);
        return null;
      }
    };

    const pick = <T>(list: T[]): T | undefined => (list.length === 0 ? undefined : list[Math.floor(Math.random() * list.length)]);
    const open = (): SoakOrder[] => orders.filter((o) => o.step < SCAN_STEPS.length);

    const one = async (kind: Kind): Promise<void> => {
      const order = pick(orders);
      if (kind === 'order' || order === undefined) {
        const res = await request('order', 'POST', '/v1/orders', {
          body: { reference: `SOAK-${++counter}-${randomBytes(3).toString('hex')}` },
        });
        if (res?.status === 201) orders.push({ id: (res.body as { id: string }).id, step: 0, token: null, received: false });
        return;
      }
      switch (kind) {
        case 'event': {
          const o = pick(open());
          if (o === undefined) return one('order');
          const type = SCAN_STEPS[o.step++];
          await request('event', 'POST', `/v1/orders/${o.id}/events`, { body: { type, data: { scan: counter++ } } });
          return;
        }
        case 'bulk': {
          const targets = open().slice(-5);
          const items = targets.flatMap((o) =>
            SCAN_STEPS.slice(o.step, o.step + 2).map((type) => ({ event: { order: o.id, type, data: { bulk: counter++ } } })),
          );
          for (const o of targets) o.step = Math.min(SCAN_STEPS.length, o.step + 2);
          for (let i = 0; i < 10; i++)
            items.push({ order: { reference: `SOAK-B-${++counter}-${randomBytes(3).toString('hex')}` } } as never);
          const res = await request('bulk', 'POST', '/v1/bulk', { body: { items }, headers: { 'idempotency-key': `soak-${counter}` } });
          for (const item of res?.status === 200 ? (res.body as { items: { status: number; order?: { id: string } }[] }).items : []) {
            if (item.status === 201 && item.order) orders.push({ id: item.order.id, step: 0, token: null, received: false });
          }
          return;
        }
        case 'read':
          await request('read', 'GET', `/v1/orders/${order.id}`);
          return;
        case 'bundle':
          await request('bundle', 'GET', `/v1/orders/${order.id}/bundle`);
          return;
        case 'pdf':
          await request('pdf', 'GET', `/v1/orders/${order.id}/evidence.pdf`);
          return;
        case 'qr': {
          const res = await request('qr', 'POST', `/v1/orders/${order.id}/qr`);
          // A link is `<page>#o=<id>&t=<token>&api=<base>`.
          if (res?.status === 201) order.token = new URLSearchParams(new URL((res.body as { url: string }).url).hash.slice(1)).get('t');
          return;
        }
        case 'public-order': {
          const o = pick(orders.filter((x) => x.token !== null));
          if (o === undefined) return one('qr');
          await request('public-order', 'GET', `/public/orders/${o.id}`, { auth: false, headers: { 'x-order-token': o.token! } });
          return;
        }
        case 'public-chain':
          await request('public-chain', 'GET', '/public/chain', { auth: false });
          return;
        case 'verifier-page':
          await request('verifier-page', 'GET', `/v/${order.id}`, { auth: false });
          return;
        case 'receipt': {
          const o = pick(orders.filter((x) => x.token !== null && x.step >= 3 && !x.received));
          if (o === undefined) return one('qr');
          const res = await request('receipt', 'POST', `/public/orders/${o.id}/receipt`, {
            auth: false,
            headers: { 'x-order-token': o.token! },
          });
          if (res?.status === 201) {
            o.received = true;
            o.step = SCAN_STEPS.length;
          }
          return;
        }
      }
    };

    const totalWeight = MIX.reduce((n, [, w]) => n + w, 0);
    const chooseKind = (): Kind => {
      let r = Math.random() * totalWeight;
      for (const [kind, weight] of MIX) if ((r -= weight) < 0) return kind;
      return 'event';
    };

    // Steady rate: one request every 1/rate s, whatever the answers' latency (bounded in flight).
    const started = Date.now();
    const endAt = started + options.seconds * 1000;
    // The baseline waits out the warm-up (pools, caches, the flag evaluator's first pages), which on a
    // busy machine reaches into the second minute; growth after it is what a leak would show.
    const baselineAt = started + Math.min(WARM_UP_MS, (options.seconds * 1000) / 2);
    const memorySamples: MemorySample[] = [];
    let nextSampleAt = baselineAt;
    const sampleMemory = async (): Promise<Probe> => {
      const m = await probe.measure({ gc: true, resetDelay: false });
      memorySamples.push({ atMs: Date.now() - started, rss: m.rss, heapUsed: m.heapUsed });
      return m;
    };
    const inFlight = new Set<Promise<void>>();
    let sent = 0;
    let nextReport = started + 10_000;
    await probe.measure({ gc: false, resetDelay: true });
    while (Date.now() < endAt) {
      const due = started + (sent * 1000) / options.rate;
      if (Date.now() < due) await new Promise((r) => setTimeout(r, Math.max(0, due - Date.now())));
      if (inFlight.size < 256) {
        const p = one(chooseKind()).finally(() => inFlight.delete(p));
        inFlight.add(p);
      }
      sent++;
      if (Date.now() >= nextSampleAt) {
        const first = memorySamples.length === 0;
        nextSampleAt += MEMORY_SAMPLE_MS;
        const m = await sampleMemory();
        if (first) progress(`memory after GC once warmed up: rss ${mb(m.rss)} MB, heap ${mb(m.heapUsed)} MB`);
      }
      if (Date.now() >= nextReport) {
        nextReport += 10_000;
        const all = [...stats.values()];
        progress(
          `${Math.round((Date.now() - started) / 1000)}/${options.seconds} s: ${all.reduce((n, s) => n + s.requests, 0)} requests, ` +
            `${all.reduce((n, s) => n + s.unexpected, 0)} unexpected, ${orders.length} orders`,
        );
      }
    }
    await Promise.all(inFlight);
    const loopDelay = (await probe.measure({ gc: false, resetDelay: false })).eventLoopDelay;
    const elapsed = (Date.now() - started) / 1000;

    progress('traffic stopped; waiting for every event to be anchored');
    const unanchoredCount = async (): Promise<number> => {
      const [row] = await fixture.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM events e WHERE NOT EXISTS (SELECT 1 FROM batches b WHERE b.seq = e.batch_seq AND b.status = 'confirmed')`,
      );
      return row.n;
    };
    await waitFor('every event anchored', async () => (await unanchoredCount()) === 0, 180_000, 500).catch(() => undefined);
    await sampleMemory();
    const { first: baseline, last: end } = memoryEnds(memorySamples);

    const [{ events, batches }] = await fixture.db.query<{ events: number; batches: number }>(
      `SELECT (SELECT count(*)::int FROM events) AS events, (SELECT count(*)::int FROM batches) AS batches`,
    );
    const unanchored = await unanchoredCount();
    const contractLastSeq = Number(await orderAnchorAt(fixture.contract, fixture.chain.provider).lastSeq());
    const logs = await fixture.chain.provider.getLogs({
      address: fixture.contract,
      topics: [ANCHORED_TOPIC],
      fromBlock: 0,
      toBlock: 'latest',
    });

    const kinds: SoakReport['kinds'] = {};
    for (const [kind, s] of stats) {
      const latencies = [...s.latencies].sort((a, b) => a - b);
      kinds[kind] = {
        requests: s.requests,
        ok: s.ok,
        expected: s.expected,
        unexpected: s.unexpected,
        p50Ms: Math.round((percentile(latencies, 50) || 0) * 10) / 10,
        p99Ms: Math.round((percentile(latencies, 99) || 0) * 10) / 10,
      };
    }
    const all = [...stats.values()];
    const requests = all.reduce((n, s) => n + s.requests, 0);
    const unexpected = all.reduce((n, s) => n + s.unexpected, 0);
    const rssGrowth = end.rss / baseline.rss - 1;
    const heapGrowth = end.heapUsed / baseline.heapUsed - 1;
    const checks = {
      noUnexpectedErrors: unexpected === 0,
      everyEventAnchored: unanchored === 0 && events > 0,
      contractMatchesBatches: contractLastSeq === batches && logs.length === batches,
      rssWithinTolerance: rssGrowth <= MEMORY_TOLERANCE,
      heapWithinTolerance: heapGrowth <= MEMORY_TOLERANCE,
    };
    return {
      seconds: Math.round(elapsed),
      rate: options.rate,
      requests,
      achievedRate: Math.round((requests / elapsed) * 10) / 10,
      ok: all.reduce((n, s) => n + s.ok, 0),
      expected: Object.fromEntries([...expectedByStatus].map(([status, n]) => [String(status), n])),
      unexpected,
      unexpectedSamples,
      kinds,
      events,
      batches,
      unanchored,
      contractLastSeq,
      anchoredLogs: logs.length,
      memory: {
        afterWarmUp: { rssMb: mb(baseline.rss), heapUsedMb: mb(baseline.heapUsed) },
        end: { rssMb: mb(end.rss), heapUsedMb: mb(end.heapUsed) },
        rssGrowth: Math.round(rssGrowth * 1000) / 1000,
        heapGrowth: Math.round(heapGrowth * 1000) / 1000,
        samples: memorySamples.map((m) => ({ atS: Math.round(m.atMs / 1000), rssMb: mb(m.rss), heapUsedMb: mb(m.heapUsed) })),
      },
      eventLoopDelayMs: {
        p50: Math.round(loopDelay.p50 * 10) / 10,
        p99: Math.round(loopDelay.p99 * 10) / 10,
        max: Math.round(loopDelay.max * 10) / 10,
      },
      checks,
      passed: Object.values(checks).every(Boolean),
    };
  } finally {
    await server.kill('SIGTERM');
    await fixture.close();
  }
}

export function formatReport(r: SoakReport): string {
  const pct = (x: number): string => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%`;
  const lines = [
    `soak: ${r.seconds} s at ${r.rate} requests/s (achieved ${r.achievedRate}/s): ${r.requests} requests, ${r.ok} ok, ` +
      `expected ${JSON.stringify(r.expected)}, unexpected ${r.unexpected}`,
    '',
    '| kind | requests | ok | expected (409/429) | unexpected | p50 ms | p99 ms |',
    '|---|---|---|---|---|---|---|',
    ...Object.entries(r.kinds).map(
      ([k, s]) => `| ${k} | ${s.requests} | ${s.ok} | ${s.expected} | ${s.unexpected} | ${s.p50Ms} | ${s.p99Ms} |`,
    ),
    '',
    `events ${r.events} in ${r.batches} batches; unanchored ${r.unanchored}; contract lastSeq ${r.contractLastSeq}, Anchored logs ${r.anchoredLogs}`,
    `memory after GC (medians of ${r.memory.samples.length} samples' first and last thirds): after warm-up rss ${r.memory.afterWarmUp.rssMb} MB heap ${r.memory.afterWarmUp.heapUsedMb} MB; ` +
      `end rss ${r.memory.end.rssMb} MB (${pct(r.memory.rssGrowth)}) heap ${r.memory.end.heapUsedMb} MB (${pct(r.memory.heapGrowth)})`,
    `event-loop delay: p50 ${r.eventLoopDelayMs.p50} ms, p99 ${r.eventLoopDelayMs.p99} ms, max ${r.eventLoopDelayMs.max} ms`,
    ...r.unexpectedSamples.map((s) => `unexpected: ${s}`),
    `checks: ${Object.entries(r.checks)
      .map(([k, v]) => `${k} ${v ? 'pass' : 'FAIL'}`)
      .join(', ')}`,
    r.passed ? 'PASS' : 'FAIL',
  ];
  return `${lines.join('\n')}\n`;
}

function parseArgs(argv: string[]): SoakOptions {
  const options: SoakOptions = { seconds: 600, rate: 30, json: false };
  const number = (flag: string, value: string | undefined): number => {
    const n = Number(value);
    if (value === undefined || !Number.isFinite(n) || n <= 0) throw new Error(`${flag} needs a positive number`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--minutes') options.seconds = Math.round(number(a, argv[++i]) * 60);
    else if (a === '--seconds') options.seconds = Math.round(number(a, argv[++i]));
    else if (a === '--rate') options.rate = number(a, argv[++i]);
    else if (a === '--json') options.json = true;
    else if (a === '--help' || a === '-h') {
      process.stdout.write(
        'usage: npm run soak -- [--minutes N | --seconds N] [--rate REQUESTS_PER_SECOND] [--json]\n' +
          'Mixed traffic at a steady rate against the server on PostgreSQL (TEST_DATABASE_URL) and a Hardhat node, then checks:\n' +
          'no unexpected error answers (409/429 counted apart), every event anchored, memory after GC at the end within 10%\n' +
          'of that after the warm-up (medians of samples every 10 s); reports the event-loop delay.\n' +
          'Defaults: 10 minutes at 30 requests/s. Exit code 1 when a check fails.\n',
      );
      process.exit(0);
    } else throw new Error(`unknown option ${a} (try --help)`);
  }
  return options;
}

if (require.main === module) {
  let options: SoakOptions;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(2);
  }
  runSoak(options).then(
    (report) => {
      process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
      process.exit(report.passed ? 0 : 1);
    },
    (err: unknown) => {
      process.stderr.write(`soak failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(1);
    },
  );
}
