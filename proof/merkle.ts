/**
 * Merkle trees of proof spec v1: sorted-pair keccak-256 inner nodes, leaves in batch order, an odd
 * node at the end of a level carried up unchanged. Byte-identical to merkletreejs
 * (`sortPairs: true`, keccak-256, leaves not re-hashed) and foldable by OpenZeppelin `MerkleProof`.
 *
 * Levels are flat Uint8Arrays (32 bytes per node) hashed straight into the next level's array, so
 * building allocates nothing per node and makes no hex. Proofs are written in hex from chunks of a
 * level converted once, on first use: a single proof converts a few small chunks, and asking for
 * every proof of a large batch converts each node once instead of once per proof that needs it.
 */
import { bytesToHex, type Hex, hexToBytes, isHex32 } from './bytes';
import { ProofError } from './errors';
import { hashPair, hashPairAtInto } from './hashes';

/** Value of each lowercase hex digit by character code, -1 for anything else (the spec's hex is lowercase). */
const DIGIT = new Int8Array(128).fill(-1);
for (let c = 0; c < 16; c++) DIGIT['0123456789abcdef'.charCodeAt(c)] = c;

/** Parses a lowercase 32-byte hex leaf into `target` at `offset`; false if it is not one. */
function parseLeafHex(hex: string, target: Uint8Array, offset: number): boolean {
  if (hex.length !== 66 || hex.charCodeAt(0) !== 48 || hex.charCodeAt(1) !== 120) return false;
  let bad = 0;
  for (let i = 0; i < 32; i++) {
    const hiCode = hex.charCodeAt(2 + 2 * i);
    const loCode = hex.charCodeAt(3 + 2 * i);
    if ((hiCode | loCode) > 127) return false;
    const hi = DIGIT[hiCode];
    const lo = DIGIT[loCode];
    bad |= hi | lo; // negative once any digit is not lowercase hex
    target[offset + i] = (hi << 4) | lo;
  }
  return bad >= 0;
}

function leafBytes(leaves: readonly (Hex | Uint8Array)[]): Uint8Array {
  const flat = new Uint8Array(leaves.length * 32);
  for (let i = 0; i < leaves.length; i++) {
    const leaf = leaves[i];
    if (typeof leaf === 'string') {
      if (!parseLeafHex(leaf, flat, i * 32)) {
        throw new ProofError('INVALID_ARGUMENT', `leaf ${i} is not 32 bytes of lowercase hex`, { field: `leaves[${i}]` });
      }
    } else {
      if (!(leaf instanceof Uint8Array) || leaf.length !== 32) {
        throw new ProofError('INVALID_ARGUMENT', `leaf ${i} is not 32 bytes`, { field: `leaves[${i}]` });
      }
      flat.set(leaf, i * 32);
    }
  }
  return flat;
}

/** The leaves of a tree as one buffer; a tree needs at least one. */
function treeLeafBytes(leaves: readonly (Hex | Uint8Array)[]): Uint8Array {
  if (leaves.length === 0) throw new ProofError('INVALID_ARGUMENT', 'a Merkle tree needs at least one leaf', { field: 'leaves' });
  return leafBytes(leaves);
}

/** The level above `level`, its odd last node already carried up; its `pairs` nodes are still to hash (hashPairs). */
function levelAbove(level: Uint8Array): { out: Uint8Array; pairs: number } {
  const count = level.length / 32;
  const out = new Uint8Array(Math.ceil(count / 2) * 32);
  const pairs = count >>> 1;
  if (count & 1) out.set(level.subarray(level.length - 32), pairs * 32); // odd node carried up
  return { out, pairs };
}

/** Hashes the pairs `from` up to `to` of `level` into their nodes of `out`. */
function hashPairs(level: Uint8Array, out: Uint8Array, from: number, to: number): void {
  for (let p = from; p < to; p++) hashPairAtInto(level, p * 64, out, p * 32);
}

function nextLevel(level: Uint8Array): Uint8Array {
  const { out, pairs } = levelAbove(level);
  hashPairs(level, out, 0, pairs);
  return out;
}

/** Nodes per hex chunk: small enough that one proof converts little, large enough to amortise the decoder call. */
const CHUNK_BITS = 8;
const CHUNK_NODES = 1 << CHUNK_BITS;
/** "0x" and 64 digits per node. */
const HEX_NODE = 66;

/** The two hex digits of each byte value as one 16-bit store, in the platform's byte order. */
const HEX_PAIR = new Uint16Array(256);
const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
for (let b = 0; b < 256; b++) {
  const hi = '0123456789abcdef'.charCodeAt(b >> 4);
  const lo = '0123456789abcdef'.charCodeAt(b & 15);
  HEX_PAIR[b] = littleEndian ? hi | (lo << 8) : (hi << 8) | lo;
}
const PREFIX_0X = littleEndian ? 48 | (120 << 8) : (48 << 8) | 120;
const chunkPairs = new Uint16Array((CHUNK_NODES * HEX_NODE) / 2);
const chunkAscii = new Uint8Array(chunkPairs.buffer);
const ascii = new TextDecoder();

/** The hex of nodes [first, first + count) of a level, as one string of 66 characters per node. */
function hexChunk(level: Uint8Array, first: number, count: number): string {
  let w = 0;
  for (let r = first * 32, end = (first + count) * 32; r < end; r += 32) {
    chunkPairs[w++] = PREFIX_0X;
    for (let i = 0; i < 32; i++) chunkPairs[w++] = HEX_PAIR[level[r + i]];
  }
  return ascii.decode(chunkAscii.subarray(0, 2 * w));
}

export class MerkleTree {
  /** Per level, the hex chunks converted so far. */
  private readonly hex: (string | undefined)[][];
  private rootHex: Hex | undefined;

  /** levels[0] are the leaves, the last level is the root. */
  private constructor(private readonly levels: Uint8Array[]) {
    this.hex = levels.map(() => []);
  }

  static build(leaves: readonly (Hex | Uint8Array)[]): MerkleTree {
    const levels = [treeLeafBytes(leaves)];
    while (levels[levels.length - 1].length > 32) levels.push(nextLevel(levels[levels.length - 1]));
    return new MerkleTree(levels);
  }

  /**
   * The same tree as `build`, its inner nodes hashed in slices of at most `sliceNodes` with
   * `pause()` awaited between slices: a large batch hashed on a shared event loop then lets the
   * work queued behind it run, instead of holding the loop for the whole tree.
   */
  static async buildInSlices(leaves: readonly (Hex | Uint8Array)[], sliceNodes: number, pause: () => Promise<void>): Promise<MerkleTree> {
    if (!Number.isInteger(sliceNodes) || sliceNodes < 1) {
      throw new ProofError('INVALID_ARGUMENT', `sliceNodes must be a positive integer, not ${sliceNodes}`, { field: 'sliceNodes' });
    }
    const levels = [treeLeafBytes(leaves)];
    let budget = sliceNodes;
    for (let level = levels[0]; level.length > 32; level = levels[levels.length - 1]) {
      const { out, pairs } = levelAbove(level);
      for (let p = 0; p < pairs;) {
        if (budget === 0) {
          await pause();
          budget = sliceNodes;
        }
        const end = Math.min(pairs, p + budget);
        hashPairs(level, out, p, end);
        budget -= end - p;
        p = end;
      }
      levels.push(out);
    }
    return new MerkleTree(levels);
  }

  get leafCount(): number {
    return this.levels[0].length / 32;
  }

  get root(): Hex {
    this.rootHex ??= bytesToHex(this.levels[this.levels.length - 1]);
    return this.rootHex;
  }

  /**
   * Every node, level after level from the leaves to the root, 32 bytes each: what a store keeps
   * to answer proofs without rebuilding the tree (see proofNodeOffsets).
   */
  nodes(): Uint8Array {
    const out = new Uint8Array(this.levels.reduce((n, level) => n + level.length, 0));
    let at = 0;
    for (const level of this.levels) {
      out.set(level, at);
      at += level.length;
    }
    return out;
  }

  /** Sibling hashes from the leaf up; levels where the node is carried up contribute nothing. */
  proof(index: number): Hex[] {
    if (!Number.isInteger(index) || index < 0 || index >= this.leafCount) {
      throw new ProofError('INVALID_ARGUMENT', `leaf index ${index} is outside 0..${this.leafCount - 1}`, { field: 'index' });
    }
    const levels = this.levels;
    // Sized first: a proof is a short array, and growing it while pushing would allocate twice.
    let length = 0;
    for (let l = 0, i = index; l < levels.length - 1; l++, i >>>= 1) if ((i ^ 1) * 32 < levels[l].length) length++;
    const proof = new Array<Hex>(length);
    for (let l = 0, i = index, k = 0; l < levels.length - 1; l++, i >>>= 1) {
      const sibling = i ^ 1;
      if (sibling * 32 < levels[l].length) proof[k++] = this.nodeHex(l, sibling);
    }
    return proof;
  }

  private nodeHex(level: number, node: number): Hex {
    const chunks = this.hex[level];
    const c = node >>> CHUNK_BITS;
    let text = chunks[c];
    if (text === undefined) {
      const nodes = this.levels[level];
      const first = c << CHUNK_BITS;
      text = hexChunk(nodes, first, Math.min(CHUNK_NODES, nodes.length / 32 - first));
      chunks[c] = text;
    }
    const at = (node & (CHUNK_NODES - 1)) * HEX_NODE;
    return text.slice(at, at + HEX_NODE) as Hex;
  }
}

/**
 * Where the proof of leaf `index` lies in `MerkleTree#nodes()` of a tree of `leafCount` leaves:
 * the byte offset of each sibling, in proof order.
 */
export function proofNodeOffsets(leafCount: number, index: number): number[] {
  if (!Number.isInteger(leafCount) || leafCount < 1 || !Number.isInteger(index) || index < 0 || index >= leafCount) {
    throw new ProofError('INVALID_ARGUMENT', `leaf index ${index} is outside 0..${leafCount - 1}`, { field: 'index' });
  }
  const offsets: number[] = [];
  let levelStart = 0;
  for (let width = leafCount, i = index; width > 1; levelStart += width * 32, width = Math.ceil(width / 2), i >>>= 1) {
    const sibling = i ^ 1;
    if (sibling < width) offsets.push(levelStart + sibling * 32);
  }
  return offsets;
}

/** Folds a proof from the leaf (OpenZeppelin `MerkleProof.processProof`). */
export function processProof(leaf: Hex, proof: readonly Hex[]): Hex {
  let node = hexToBytes(leaf);
  for (const sibling of proof) node = hashPair(node, hexToBytes(sibling));
  return bytesToHex(node);
}

export function verifyProof(leaf: Hex, proof: readonly Hex[], root: Hex): boolean {
  if (!isHex32(leaf) || !isHex32(root) || !Array.isArray(proof) || !proof.every(isHex32)) return false;
  return processProof(leaf, proof) === root;
}
