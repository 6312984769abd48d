import { readFileSync } from 'node:fs';
import { keccak256 as ethersKeccak, concat, toUtf8Bytes } from 'ethers';
import { MerkleTree as ReferenceTree } from 'merkletreejs';
import { buildVectors, buildVectorsV1_1, VECTORS_PATH, VECTORS_V1_1_PATH } from '../../scripts/generate-vectors';
import {
  assertEventRecord,
  canonicalJson,
  commitment,
  GENESIS_PREV,
  leafHash,
  MerkleTree,
  nobleKeccak,
  processProof,
  recordSource,
  setKeccakBackend,
} from '../../proof';
import { EVENT_TYPES_V1_0 } from '../../proof/record';
import { buildBundleView } from '../../view/bundle-view';
import { createWasmKeccak } from '../../proof/fast-keccak';

// The published vectors are checked both against the proof core and against a second keccak
// (ethers) and a second tree (merkletreejs), so a shared bug cannot hide in both sides.
const vectors = JSON.parse(readFileSync(VECTORS_PATH, 'utf8'));

describe('test/vectors/proof-v1.json', () => {
  it('is what the generator produces (regenerate with npm run vectors)', () => {
    expect(vectors).toEqual(JSON.parse(JSON.stringify(buildVectors())));
  });

  it('is also what the generator produces with the WebAssembly keccak backend', async () => {
    setKeccakBackend(await createWasmKeccak());
    try {
      expect(vectors).toEqual(JSON.parse(JSON.stringify(buildVectors())));
    } finally {
      setKeccakBackend(nobleKeccak);
    }
  });

  it('records: JCS strings and leaves recompute', () => {
    expect(vectors.records.length).toBeGreaterThanOrEqual(5);
    for (const { record, jcs, leaf } of vectors.records) {
      assertEventRecord(record);
      expect(canonicalJson(record)).toBe(jcs);
      expect(leafHash(record)).toBe(leaf);
      expect(ethersKeccak(concat([new Uint8Array([0]), toUtf8Bytes(jcs)]))).toBe(leaf);
      expect(new TextEncoder().encode(jcs).length).toBeGreaterThan(64);
    }
  });

  it('records form one hash chain', () => {
    vectors.records.forEach(({ record }: { record: { seq: number; prev: string } }, i: number) => {
      expect(record.seq).toBe(i + 1);
      expect(record.prev).toBe(i === 0 ? GENESIS_PREV : vectors.records[i - 1].leaf);
    });
  });

  it("commitments recompute and are the records' sealed values", () => {
    const sealedValues = new Set(
      vectors.records.flatMap((r: { record: { sealed: Record<string, string> } }) => Object.values(r.record.sealed)),
    );
    for (const c of vectors.commitments) {
      expect(canonicalJson({ name: c.name, salt: c.salt, value: c.value })).toBe(c.jcs);
      expect(commitment(c.name, c.value, c.salt)).toBe(c.commitment);
      expect(ethersKeccak(concat([new Uint8Array([2]), toUtf8Bytes(c.jcs)]))).toBe(c.commitment);
      expect(sealedValues.has(c.commitment)).toBe(true);
    }
  });

  it('trees: roots and every proof match merkletreejs and fold to the root', () => {
    expect(vectors.trees.map((t: { leafCount: number }) => t.leafCount)).toEqual([1, 2, 3, 5, 8, 13]);
    for (const tree of vectors.trees) {
      const ref = new ReferenceTree(
        tree.leaves.map((l: string) => Buffer.from(l.slice(2), 'hex')),
        (d: Buffer) => Buffer.from(ethersKeccak(d).slice(2), 'hex'),
        { sortPairs: true },
      );
      expect(ref.getHexRoot()).toBe(tree.root);
      expect(MerkleTree.build(tree.leaves).root).toBe(tree.root);
      tree.leaves.forEach((leaf: string, i: number) => {
        expect(ref.getHexProof(Buffer.from(leaf.slice(2), 'hex'), i)).toEqual(tree.proofs[i]);
        expect(processProof(leaf as `0x${string}`, tree.proofs[i])).toBe(tree.root);
      });
    }
  });

  it('sourced records: v1 records naming who recorded them, hash-chained, their sources read back', () => {
    const { records } = vectors.sourcedRecords;
    expect(records.map((r: { record: { seq: number } }) => r.record.seq)).toEqual([1, 2, 3, 4]);
    records.forEach(
      ({ record, jcs, leaf, source }: { record: { prev: string; data: object }; jcs: string; leaf: string; source: string }, i: number) => {
        assertEventRecord(record);
        expect(canonicalJson(record)).toBe(jcs);
        expect(leafHash(record)).toBe(leaf);
        expect(ethersKeccak(concat([new Uint8Array([0]), toUtf8Bytes(jcs)]))).toBe(leaf);
        expect(record.prev).toBe(i === 0 ? GENESIS_PREV : records[i - 1].leaf);
        expect((record.data as Record<string, unknown>)['ordertrace:source']).toBe(source);
      },
    );
    expect(records.map((r: { record: { data: object } }) => recordSource(r.record.data))).toEqual([
      { kind: 'api-key', keyId: '6f1c2a4e-3b7d-4e8a-9c1f-0d2b3a4c5e6f' },
      { kind: 'api-key', keyId: '6f1c2a4e-3b7d-4e8a-9c1f-0d2b3a4c5e6f' },
      { kind: 'consumer' },
      { kind: 'operator' },
    ]);
  });

  it('records published before sources existed are unchanged and state no source', () => {
    expect(vectors.records).toHaveLength(5);
    // Pinned as first published: adding sections must never change these.
    expect(vectors.records[0].leaf).toBe('0x57c02efb3398508fd9afe7c6aff4e8d6699be074cbd6199e7e310d4d88fe1c32');
    expect(vectors.trees[5].root).toBe('0xd833a2d4b39ade405772921c81443ee93c477ceff4628f31b83e2a62d3301856');
    for (const { record } of vectors.records) expect(recordSource(record.data)).toEqual({ kind: 'not-stated' });
    // The consumer's confirmation of old records is brand-writable data, not a source.
    expect(vectors.records[4].record.data).toEqual({ by: 'consumer' });
  });
});

describe('test/vectors/proof-v1.1.json', () => {
  const v11 = JSON.parse(readFileSync(VECTORS_V1_1_PATH, 'utf8'));

  it('is what the generator produces (regenerate with npm run vectors)', () => {
    expect(v11).toEqual(JSON.parse(JSON.stringify(buildVectorsV1_1())));
  });

  it('records: v1 records of the types v1.1 added, whose JCS and leaves recompute with a second keccak', () => {
    const types = v11.records.map((r: { record: { type: string } }) => r.record.type);
    expect(types.filter((t: string) => !EVENT_TYPES_V1_0.includes(t as never)).sort()).toEqual(
      ['change_declined', 'change_requested', 'change_requested', 'change_requested', 'hold_confirmed'].sort(),
    );
    v11.records.forEach(
      ({ record, jcs, leaf }: { record: { v: number; seq: number; prev: string }; jcs: string; leaf: string }, i: number) => {
        assertEventRecord(record);
        expect(record.v).toBe(1);
        expect(canonicalJson(record)).toBe(jcs);
        expect(leafHash(record)).toBe(leaf);
        expect(ethersKeccak(concat([new Uint8Array([0]), toUtf8Bytes(jcs)]))).toBe(leaf);
        expect(record.seq).toBe(i + 1);
        expect(record.prev).toBe(i === 0 ? GENESIS_PREV : v11.records[i - 1].leaf);
      },
    );
  });

  it('commitments recompute, the sealed new address among them', () => {
    for (const c of v11.commitments) {
      expect(ethersKeccak(concat([new Uint8Array([2]), toUtf8Bytes(c.jcs)]))).toBe(c.commitment);
      expect(commitment(c.name, c.value, c.salt)).toBe(c.commitment);
    }
    expect(v11.commitments.filter((c: { name: string }) => c.name === 'address')).toHaveLength(2);
  });

  it("requests: the view model reads each request's state from the records as the vectors state it", () => {
    const bundle = { format: 'ordertrace-bundle/1', events: v11.records.map((r: object) => ({ ...r, anchor: null })) };
    const { requests } = buildBundleView(bundle, null);
    expect(requests.map(({ seq, request, state, answeredBy }) => ({ seq, request, state, answeredBy }))).toEqual(v11.requests);
  });

  it('v1.0 vectors hold v1.0 types only, so every bundle a v1.0 verifier accepted still verifies', () => {
    for (const { record } of [...vectors.records, ...vectors.sourcedRecords.records]) {
      expect(EVENT_TYPES_V1_0).toContain(record.type);
    }
  });
});
