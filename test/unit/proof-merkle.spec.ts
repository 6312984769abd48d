import { MerkleTree as ReferenceTree } from 'merkletreejs';
import { keccak_256 } from '@noble/hashes/sha3';
import {
  bytesToHex,
  type Hex,
  type KeccakBackend,
  MerkleTree,
  nobleKeccak,
  processProof,
  ProofError,
  proofNodeOffsets,
  setKeccakBackend,
  verifyProof,
} from '../../proof';
import { createWasmKeccak } from '../../proof/fast-keccak';

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

/** merkletreejs's root and every proof for `n` seeded leaves, computed once for both backends. */
const referenceAnswers = new Map<number, { leaves: Hex[]; root: string; proofs: string[] }>();
function referenceAnswer(n: number): { leaves: Hex[]; root: string; proofs: string[] } {
  let answer = referenceAnswers.get(n);
  if (answer === undefined) {
    const leaves = randomLeaves(n, n);
    const ref = reference(leaves);
    const proofs = leaves.map((leaf, i) => ref.getHexProof(Buffer.from(leaf.slice(2), 'hex'), i).join());
    answer = { leaves, root: ref.getHexRoot(), proofs };
    referenceAnswers.set(n, answer);
  }
  return answer;
}

// Every check runs with each keccak backend; the reference tree always hashes with @noble/hashes,
// so the WebAssembly backend is checked against an independent implementation of the rules.
const backends: [string, () => Promise<KeccakBackend>][] = [
  ['@noble/hashes', () => Promise.resolve(nobleKeccak)],
  ['hash-wasm', createWasmKeccak],
];

describe.each(backends)('MerkleTree with %s', (name, createBackend) => {
  beforeAll(async () => setKeccakBackend(await createBackend()));
  afterAll(() => setKeccakBackend(nobleKeccak));

  it('has root = leaf and an empty proof for one leaf', () => {
    const [leaf] = randomLeaves(1, 7);
    const tree = MerkleTree.build([leaf]);
    expect(tree.root).toBe(leaf);
    expect(tree.proof(0)).toEqual([]);
  });

  it('matches merkletreejs (sortPairs, keccak-256) byte for byte on every size 1..300', () => {
    for (let n = 1; n <= 300; n++) {
      const { leaves, root, proofs } = referenceAnswer(n);
      const ours = MerkleTree.build(leaves);
      expect(ours.root).toBe(root);
      for (let i = 0; i < n; i++) {
        const proof = ours.proof(i);
        if (proof.join() !== proofs[i]) throw new Error(`proof differs for n=${n} i=${i}`);
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

  // Throughput is measured by `npm run bench`. This walks every proof of a tree larger than a hex
  // chunk on each level, where one proof's hex is cut from text shared with its neighbours.
  it('gives every leaf of a 16,385-leaf tree a proof that folds to the root', () => {
    const n = 16_385;
    const leaves = randomLeaves(n, 1);
    const tree = MerkleTree.build(leaves);
    const step = name === 'hash-wasm' ? 1 : 31; // folding every proof with the pure-JS hash is slow
    for (let i = 0; i < n; i += step) {
      const proof = tree.proof(i);
      if (proof.length > 17 || processProof(leaves[i], proof) !== tree.root)
        throw new Error(`proof of leaf ${i} does not fold to the root`);
    }
    // The last leaf is carried up alone to the level of two nodes, where the rest of the tree is its sibling.
    expect(tree.proof(n - 1)).toEqual([MerkleTree.build(leaves.slice(0, n - 1)).root]);
  });

  it('builds in slices the same root and stored nodes as in one go, pausing between slices', async () => {
    for (const n of [1, 2, 3, 7, 64, 65, 1025, 10_000]) {
      const leaves = randomLeaves(n, n + 11);
      const whole = MerkleTree.build(leaves);
      let hashed = 0; // inner nodes hashed: each pair of a level, the odd node being carried up
      for (let width = n; width > 1; width = Math.ceil(width / 2)) hashed += width >>> 1;
      for (const slice of [1, 3, 512]) {
        let pauses = 0;
        const sliced = await MerkleTree.buildInSlices(leaves, slice, () => {
          pauses++;
          return new Promise((resolve) => setImmediate(resolve));
        });
        expect(sliced.root).toBe(whole.root);
        expect(Buffer.from(sliced.nodes()).equals(Buffer.from(whole.nodes()))).toBe(true);
        expect(sliced.proof(n - 1)).toEqual(whole.proof(n - 1));
        expect(pauses).toBe(Math.max(0, Math.ceil(hashed / slice) - 1));
      }
    }
    await expect(MerkleTree.buildInSlices([], 8, () => Promise.resolve())).rejects.toThrow(/at least one leaf/);
    for (const bad of [0, -1, 1.5, NaN]) {
      await expect(MerkleTree.buildInSlices(randomLeaves(2, 1), bad, () => Promise.resolve())).rejects.toThrow(/sliceNodes/);
    }
  });

  it('refuses an empty tree and an out-of-range index', () => {
    expect(() => MerkleTree.build([])).toThrow(/at least one leaf/);
    expect(() => MerkleTree.build(randomLeaves(2, 1)).proof(2)).toThrow(/outside/);
    expect(() => MerkleTree.build(['0x12'])).toThrow(/leaf 0/);
    const good = randomLeaves(3, 5);
    for (const bad of [
      good[1].toUpperCase().replace('0X', '0x'),
      `${good[1].slice(0, 65)}g`,
      `${good[1].slice(0, 65)}\u0130`,
      `1x${good[1].slice(2)}`,
    ]) {
      expect(() => MerkleTree.build([good[0], bad as Hex, good[2]])).toThrow(/leaf 1 is not 32 bytes of lowercase hex/);
    }
  });
});

describe('proofNodeOffsets', () => {
  it('finds every proof in the stored nodes, for trees of 1 to 70 leaves and every index', () => {
    for (let count = 1; count <= 70; count++) {
      const leaves = randomLeaves(count, count);
      const tree = MerkleTree.build(leaves);
      const nodes = tree.nodes();
      expect(nodes.length % 32).toBe(0);
      expect(bytesToHex(nodes.subarray(nodes.length - 32))).toBe(tree.root);
      for (let i = 0; i < count; i++) {
        const fromStore = proofNodeOffsets(count, i).map((at) => bytesToHex(nodes.subarray(at, at + 32)));
        expect(fromStore).toEqual(tree.proof(i));
      }
    }
  });

  it('refuses an index outside the tree', () => {
    expect(() => proofNodeOffsets(4, 4)).toThrow(ProofError);
    expect(() => proofNodeOffsets(0, 0)).toThrow(ProofError);
  });
});
