/**
 * Proof-core benchmarks: canonical JSON, leaf hashing and Merkle trees, for comparison with
 * ../shared/BASELINES.md (same machine kind). Run with `npm run bench`.
 */
import {
  bytesToHex,
  canonicalJson,
  commitment,
  type EventRecord,
  GENESIS_PREV,
  keccak256,
  leafHash,
  MerkleTree,
  randomSalt,
} from '../../proof';

import type { BenchRow } from './bench-row';

function opsPerSecond(fn: () => void, minMs = 1000): number {
  for (let i = 0; i < 200; i++) fn(); // warm up
  let n = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < minMs) {
    for (let i = 0; i < 100; i++) fn();
    n += 100;
    elapsed = performance.now() - start;
  }
  return (n / elapsed) * 1000;
}

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

export function runProofBenchmarks(log: (line: string) => void = console.log): BenchRow[] {
  const row = (r: { name: string; value: number; unit: string; baseline?: string }): BenchRow => ({
    group: 'proof',
    name: r.name,
    value: r.value,
    unit: r.unit,
    better: r.unit === 'ms' ? 'lower' : 'higher',
    note: r.baseline,
  });
  const rows: BenchRow[] = [];
  const record = sampleRecord(3);
  const jcs = canonicalJson(record);
  log(`record JCS is ${new TextEncoder().encode(jcs).length} bytes`);
  rows.push(
    row({
      name: 'canonicalJson(record)',
      value: opsPerSecond(() => canonicalJson(record)),
      unit: 'ops/s',
      baseline: 'canonicalize 177k ops/s (558 B record)',
    }),
  );
  rows.push(
    row({
      name: 'leafHash(record)',
      value: opsPerSecond(() => leafHash(record)),
      unit: 'ops/s',
      baseline: 'canonicalize + noble keccak 32k/s',
    }),
  );
  const salt = randomSalt();
  rows.push(
    row({
      name: 'commitment(name, value, salt)',
      value: opsPerSecond(() => commitment('address', { line1: 'Invalidenstraße 116', city: 'Berlin' }, salt)),
      unit: 'ops/s',
    }),
  );
  const pair = new Uint8Array(64);
  rows.push(row({ name: 'keccak256 64 B', value: opsPerSecond(() => keccak256(pair)), unit: 'ops/s', baseline: '@noble/hashes 154k/s' }));

  for (const [n, baseline] of [
    [10_000, 'level arrays + noble 104 ms (all proofs)'],
    [100_000, 'level arrays + noble 807 ms; merkletreejs 852 ms'],
  ] as const) {
    const leaves = Array.from({ length: n }, (_, i) => bytesToHex(keccak256(new Uint8Array([i & 255, (i >> 8) & 255, i >> 16]))));
    const start = performance.now();
    const tree = MerkleTree.build(leaves);
    for (let i = 0; i < n; i++) tree.proof(i);
    rows.push(
      row({
        name: `MerkleTree ${n.toLocaleString('en')} leaves, root + all proofs`,
        value: performance.now() - start,
        unit: 'ms',
        baseline,
      }),
    );
  }
  return rows;
}
