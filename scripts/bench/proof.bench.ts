/**
 * Proof-core benchmarks, each against a baseline measured in the same run on the same input:
 * canonical JSON (the canonicalize package), keccak-256 (bare @noble/hashes and hash-wasm),
 * leaf hashing (canonicalize + the fastest bare keccak) and Merkle trees, root plus every proof
 * (merkletreejs with sortPairs, run in a worker bounded in time and memory: with @noble/hashes as
 * the project's cross-check uses it, and at the smaller sizes also given hash-wasm, which shows
 * what the tree code itself gains).
 */
import canonicalize from 'canonicalize';
import { createKeccak } from 'hash-wasm';
import { keccak_256 } from '@noble/hashes/sha3';
import { Worker } from 'node:worker_threads';
import {
  bytesToHex,
  canonicalJson,
  type EventRecord,
  GENESIS_PREV,
  type Hex,
  keccak256,
  keccakBackend,
  leafHash,
  MerkleTree,
  utf8Bytes,
} from '../../proof';
import { useFastKeccak } from '../../proof/fast-keccak';
import { median } from '../stats';
import { allOf, atLeast, atMost, type BenchRow, benchRow } from './bench-row';

export type { BenchRow } from './bench-row';

const GROUP = 'proof';
/** Measuring time per throughput figure: long enough to average out timer noise, short enough for the run's budget. */
const RATE_MS = 500;
/** merkletreejs on 10^6 leaves takes seconds and gigabytes: it is stopped beyond these. */
const BASELINE_TIME_LIMIT_MS = 45_000;
const BASELINE_HEAP_LIMIT_MB = 4096;

function opsPerSecond(fn: () => unknown, ms: number): number {
  let n = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < ms) {
    for (let i = 0; i < 50; i++) fn();
    n += 50;
    elapsed = performance.now() - start;
  }
  return (n / elapsed) * 1000;
}

/**
 * Throughputs of several functions, measured in alternating short rounds (median per function):
 * on a shared machine the load drifts, and measuring one after the other would credit the drift
 * to whichever ran in the quieter moment.
 */
export function rates(fns: (() => unknown)[], totalMs = RATE_MS * fns.length): number[] {
  for (const fn of fns) for (let i = 0; i < 500; i++) fn(); // warm up: let the JIT settle
  const rounds = 7;
  const samples = fns.map(() => [] as number[]);
  for (let r = 0; r < rounds; r++) fns.forEach((fn, k) => samples[k].push(opsPerSecond(fn, totalMs / rounds / fns.length)));
  return samples.map(median);
}

const fmt = (n: number) => Math.round(n).toLocaleString('en');

function sampleRecord(seq: number): EventRecord {
  return {
    v: 1,
    brand: 'acme',
    order: 'ord_01JDBENCH000000000000000A',
    seq,
    type: 'shipped',
    at: '2026-11-24T10:15:00.000Z',
    recorded: '2026-11-24T10:15:02.113Z',
    data: { carrier: 'DHL', trackingNo: 'JD014600004512', service: 'express', parcels: 2, weightKg: 3.25, note: 'leave with neighbour' },
    sealed: { recipientName: `0x${'ab'.repeat(32)}`, address: `0x${'cd'.repeat(32)}` },
    prev: GENESIS_PREV,
  };
}

/** Distinct leaves as the database hands them over: independent, flat hex strings. */
function sampleLeaves(n: number): Hex[] {
  const seed = new Uint8Array(4);
  const view = new DataView(seed.buffer);
  const leaves = Array.from({ length: n }, (_, i) => {
    view.setUint32(0, i);
    return bytesToHex(keccak256(seed));
  });
  return JSON.parse(JSON.stringify(leaves)) as Hex[];
}

interface BaselineRun {
  /** Milliseconds for root plus every proof, or null when stopped. */
  ms: number | null;
  root?: string;
  proofOfLast?: string[];
  why?: string;
}

// merkletreejs runs in its own thread and heap: its garbage does not slow our run down (or ours
// its), and a run that would exhaust memory or time is stopped without taking the benchmark with it.
const MERKLETREEJS_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { createRequire } = require('node:module');
const load = createRequire(workerData.from);
const { MerkleTree } = load('merkletreejs');
(async () => {
  let hash;
  if (workerData.keccak === 'hash-wasm') {
    const hasher = await load('hash-wasm').createKeccak(256);
    hash = (data) => { const d = hasher.init().update(data).digest('binary'); return Buffer.from(d.buffer, d.byteOffset, 32); };
  } else {
    const { keccak_256 } = load('@noble/hashes/sha3');
    hash = (data) => { const d = keccak_256(data); return Buffer.from(d.buffer, d.byteOffset, 32); };
  }
  const leaves = workerData.leaves;
  const started = performance.now();
  const tree = new MerkleTree(leaves, hash, { sortPairs: true });
  const root = tree.getHexRoot();
  const buffers = tree.getLeaves();
  let proofOfLast;
  for (let i = 0; i < leaves.length; i++) proofOfLast = tree.getHexProof(buffers[i], i);
  parentPort.postMessage({ ms: performance.now() - started, root, proofOfLast });
})().catch((e) => parentPort.postMessage({ ms: null, why: String(e && e.message || e) }));
`;

type BaselineKeccak = '@noble/hashes' | 'hash-wasm';

function merkletreejsRun(leaves: Hex[], keccak: BaselineKeccak): Promise<BaselineRun> {
  return new Promise((resolve) => {
    const worker = new Worker(MERKLETREEJS_WORKER, {
      eval: true,
      workerData: { leaves, from: __filename, keccak },
      resourceLimits: { maxOldGenerationSizeMb: BASELINE_HEAP_LIMIT_MB },
    });
    const timer = setTimeout(() => {
      void worker.terminate();
      resolve({ ms: null, why: `stopped after ${BASELINE_TIME_LIMIT_MS / 1000} s` });
    }, BASELINE_TIME_LIMIT_MS);
    worker.once('message', (m: BaselineRun) => {
      clearTimeout(timer);
      void worker.terminate();
      resolve(m);
    });
    worker.once('error', (e) => {
      clearTimeout(timer);
      resolve({ ms: null, why: `failed: ${e.message}` });
    });
  });
}

function oursRun(leaves: Hex[]): { ms: number; cpuMs: number; tree: MerkleTree } {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const tree = MerkleTree.build(leaves);
  void tree.root;
  for (let i = 0; i < leaves.length; i++) tree.proof(i);
  const used = process.cpuUsage(cpu);
  return { ms: performance.now() - started, cpuMs: (used.user + used.system) / 1000, tree };
}

export async function runProofBenchmarks(progress: (line: string) => void = console.log): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const started = performance.now();
  await useFastKeccak();
  const ours = keccakBackend().name;
  const wasm = await createKeccak(256);
  const bare = {
    '@noble/hashes': (data: Uint8Array) => keccak_256(data),
    'hash-wasm': (data: Uint8Array) => wasm.init().update(data).digest('binary'),
  };

  // Canonical JSON of a typical record.
  const record = sampleRecord(3);
  const jcs = canonicalJson(record);
  if (canonicalize(record) !== jcs) throw new Error('canonicalJson and canonicalize disagree on the sample record');
  const preimage = new Uint8Array([0, ...utf8Bytes(jcs)]);
  progress(`canonical JSON (record of ${preimage.length - 1} B)…`);
  const [canonicalizeRate, canonicalRate] = rates([() => canonicalize(record), () => canonicalJson(record)]);
  rows.push(
    benchRow({
      group: GROUP,
      name: `canonicalJson(record), ${preimage.length - 1} B`,
      value: canonicalRate,
      unit: 'ops/s',
      better: 'higher',
      baseline: { name: 'canonicalize package (no validation)', value: canonicalizeRate, unit: 'ops/s' },
      target: atLeast(canonicalRate / canonicalizeRate, 1, '≥ 1.0× canonicalize (ours also validates)'),
    }),
  );

  // keccak-256: the proof core's keccak256 (with the installed backend) against both bare libraries.
  const fastest: Record<number, { name: string; rate: number }> = {};
  for (const [label, data] of [
    ['64 B (inner node)', new Uint8Array(64).fill(7)],
    [`${preimage.length} B (leaf preimage)`, preimage],
  ] as const) {
    progress(`keccak-256 ${label}…`);
    const [noble, wasmRate, oursRate] = rates([() => bare['@noble/hashes'](data), () => bare['hash-wasm'](data), () => keccak256(data)]);
    const best = noble >= wasmRate ? { name: '@noble/hashes', rate: noble } : { name: 'hash-wasm', rate: wasmRate };
    fastest[data.length] = best;
    rows.push(
      benchRow({
        group: GROUP,
        name: `keccak256 ${label}, ${ours}`,
        value: oursRate,
        unit: 'hashes/s',
        better: 'higher',
        baseline: { name: `${best.name} bare (fastest measured)`, value: best.rate, unit: 'hashes/s' },
        target: atLeast(oursRate / best.rate, 0.8, '≥ 0.8× the fastest bare keccak'),
        note: `bare @noble/hashes ${fmt(noble)}/s, bare hash-wasm ${fmt(wasmRate)}/s; ours is ${(oursRate / noble).toFixed(1)}× @noble/hashes`,
      }),
    );
  }

  // leafHash against what it must do at least: canonical JSON plus one keccak over the same bytes.
  progress('leafHash(record)…');
  // The baseline's parts are measured again here, alternating with leafHash, so all three share the load.
  const keccakBest = fastest[preimage.length];
  const bestKeccak = bare[keccakBest.name as keyof typeof bare];
  const [leafRate, canonicalizeAgain, keccakAgain] = rates([
    () => leafHash(record),
    () => canonicalize(record),
    () => bestKeccak(preimage),
  ]);
  const composite = 1 / (1 / canonicalizeAgain + 1 / keccakAgain);
  rows.push(
    benchRow({
      group: GROUP,
      name: `leafHash(record), ${ours}`,
      value: leafRate,
      unit: 'ops/s',
      better: 'higher',
      baseline: { name: `canonicalize + ${keccakBest.name} over the same bytes (from their rates)`, value: composite, unit: 'ops/s' },
      target: atLeast(leafRate / composite, 0.5, '≥ 0.5× canonicalize + fastest keccak'),
    }),
  );

  // Merkle trees: root plus every proof, from hex leaves as the server and the CLI hold them.
  for (const n of [10_000, 100_000, 1_000_000]) {
    progress(`Merkle tree of ${fmt(n)} leaves: ours…`);
    const leaves = sampleLeaves(n);
    const repeats = n >= 100_000 ? 3 : 5;
    const times: number[] = [];
    const cpuTimes: number[] = [];
    let tree: MerkleTree | undefined;
    for (let r = 0; r < repeats; r++) {
      const run = oursRun(leaves);
      times.push(run.ms);
      cpuTimes.push(run.cpuMs);
      tree = run.tree;
    }
    const oursMs = median(times);
    const rss = process.memoryUsage().rss / 2 ** 20;
    const check = (runs: BaselineRun[]): (BaselineRun & { ms: number })[] => {
      const finished = runs.filter((b): b is BaselineRun & { ms: number } => b.ms !== null);
      for (const b of finished) {
        if (b.root !== tree!.root || b.proofOfLast!.join() !== tree!.proof(n - 1).join()) {
          throw new Error(`merkletreejs and MerkleTree disagree on ${n} leaves`);
        }
      }
      return finished;
    };
    const baselineRuns = n >= 100_000 ? 1 : 3;
    progress(`Merkle tree of ${fmt(n)} leaves: merkletreejs with @noble/hashes…`);
    const noble: BaselineRun[] = [];
    for (let r = 0; r < baselineRuns; r++) noble.push(await merkletreejsRun(leaves, '@noble/hashes'));
    const finished = check(noble);
    // A stopped baseline still bounds the ratio from below: it took at least the time limit.
    const baselineMs = finished.length > 0 ? median(finished.map((b) => b.ms)) : BASELINE_TIME_LIMIT_MS;
    // The same library given the WebAssembly keccak: what the tree code gains, apart from the hash.
    let withWasm = 'not run at this size (time budget)';
    if (n < 1_000_000) {
      progress(`Merkle tree of ${fmt(n)} leaves: merkletreejs with hash-wasm…`);
      const wasmRuns: BaselineRun[] = [];
      for (let r = 0; r < baselineRuns; r++) wasmRuns.push(await merkletreejsRun(leaves, 'hash-wasm'));
      const done = check(wasmRuns);
      if (done.length > 0) {
        const ms = median(done.map((b) => b.ms));
        withWasm = `${fmt(ms)} ms, ours ${(ms / oursMs).toFixed(2)}× faster`;
      } else withWasm = wasmRuns[0].why ?? 'did not finish';
    }
    const ratio = baselineMs / oursMs;
    const targets = [atLeast(ratio, 5, '≥ 5× merkletreejs')];
    if (n >= 1_000_000) targets.unshift(atMost(oursMs, 2000, '≤ 2 s'));
    rows.push(
      benchRow({
        group: GROUP,
        name: `MerkleTree ${fmt(n)} leaves, root + every proof, ${ours}`,
        value: oursMs,
        unit: 'ms',
        better: 'lower',
        baseline: {
          name: `merkletreejs sortPairs, @noble/hashes keccak${finished.length === 0 ? ' (lower bound)' : ''}`,
          value: baselineMs,
          unit: 'ms',
        },
        target: allOf(...targets),
        note: [
          `ours: median of ${repeats} (${times.map((t) => fmt(t)).join(', ')} ms; CPU time ${cpuTimes.map((t) => fmt(t)).join(', ')} ms, which a loaded machine inflates less than wall time)`,
          `merkletreejs: ${finished.length > 0 ? (finished.length > 1 ? `median of ${finished.length} runs in a worker` : 'one run in a worker') : noble.find((b) => b.ms === null)?.why}`,
          `merkletreejs given hash-wasm: ${withWasm}`,
          `process RSS ${fmt(rss)} MB with the tree and its proof hex held`,
          'roots and last proofs checked equal',
        ].join('; '),
      }),
    );
  }
  progress(`proof benchmarks took ${((performance.now() - started) / 1000).toFixed(0)} s`);
  return rows;
}
