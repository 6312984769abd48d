import { MerkleTree as ReferenceTree } from 'merkletreejs';
import { keccak_256 } from '@noble/hashes/sha3';
import { bytesToHex, type Hex, MerkleTree, processProof, verifyProof } from '../../proof';

function randomLeaves(n: number, seed: number): Hex[] {
  // Deterministic pseudo-random leaves so a failure can be reproduced.
  const leaves: Hex[] = [];
  const buf = new Uint8Array(8);
  for (let i = 0; i < n; i++) {
    new DataView(buf.buffer).setUint32(0, seed);
    new DataView(buf.buffer).setUint32(4, i);
    leaves.push(bytesToHex(keccak_256(buf)));
  }
  return leaves;
}

function reference(leaves: Hex[]) {
  const hash = (data: Buffer) => Buffer.from(keccak_256(data));
  return new ReferenceTree(
    leaves.map((l) => Buffer.from(l.slice(2), 'hex')),
    hash,
    { sortPairs: true },
  );
}

describe('MerkleTree', () => {
  it('has root = leaf and an empty proof for one leaf', () => {
    const [leaf] = randomLeaves(1, 7);
    const tree = MerkleTree.build([leaf]);
    expect(tree.root).toBe(leaf);
    expect(tree.proof(0)).toEqual([]);
  });

  it('matches merkletreejs (sortPairs, keccak-256) byte for byte on every size 1..300', () => {
    for (let n = 1; n <= 300; n++) {
      const leaves = randomLeaves(n, n);
      const ours = MerkleTree.build(leaves);
      const ref = reference(leaves);
      expect(ours.root).toBe(ref.getHexRoot());
      for (let i = 0; i < n; i++) {
        const expected = ref.getHexProof(Buffer.from(leaves[i].slice(2), 'hex'), i);
        const proof = ours.proof(i);
        if (proof.join() !== expected.join()) throw new Error(`proof differs for n=${n} i=${i}`);
        if (processProof(leaves[i], proof) !== ours.root) throw new Error(`proof does not fold for n=${n} i=${i}`);
      }
    }
  });

  it.each([1023, 1024, 1025, 4097])('matches merkletreejs on a large tree of %i leaves', (n) => {
    const leaves = randomLeaves(n, 99);
    const ours = MerkleTree.build(leaves);
    const ref = reference(leaves);
    expect(ours.root).toBe(ref.getHexRoot());
    for (const i of [0, 1, n >> 1, n - 2, n - 1]) {
      expect(ours.proof(i)).toEqual(ref.getHexProof(Buffer.from(leaves[i].slice(2), 'hex'), i));
    }
  });

  it('rejects a wrong leaf, a reordered proof and a wrong root', () => {
    const leaves = randomLeaves(13, 3);
    const tree = MerkleTree.build(leaves);
    const proof = tree.proof(5);
    expect(verifyProof(leaves[5], proof, tree.root)).toBe(true);
    expect(verifyProof(leaves[6], proof, tree.root)).toBe(false);
    expect(verifyProof(leaves[5], [...proof].reverse(), tree.root)).toBe(false);
    expect(verifyProof(leaves[5], proof, leaves[0])).toBe(false);
    expect(verifyProof(leaves[5], proof.slice(1), tree.root)).toBe(false);
  });

  // Throughput is measured by `npm run bench`; this bound only catches an accidental quadratic
  // (which would take hours), not a loaded machine.
  it('builds 100,000 leaves with every proof in linear time', () => {
    const leaves = randomLeaves(100_000, 1);
    const started = performance.now();
    const tree = MerkleTree.build(leaves);
    for (let i = 0; i < leaves.length; i++) tree.proof(i);
    const ms = performance.now() - started;
    console.log(`MerkleTree: 100,000 leaves, root + all proofs in ${ms.toFixed(0)} ms`);
    expect(verifyProof(leaves[77_777], tree.proof(77_777), tree.root)).toBe(true);
    expect(ms).toBeLessThan(60_000);
  });

  it('refuses an empty tree and an out-of-range index', () => {
    expect(() => MerkleTree.build([])).toThrow(/at least one leaf/);
    expect(() => MerkleTree.build(randomLeaves(2, 1)).proof(2)).toThrow(/outside/);
    expect(() => MerkleTree.build(['0x12'])).toThrow(/leaf 0/);
  });
});
