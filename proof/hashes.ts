/**
 * The hashing rules of proof specification v1, stated once (docs/proof-spec.md).
 * H = keccak-256; every preimage starts with a domain byte so leaves, commitments and inner nodes
 * can never be confused: 0x00 leaf, 0x02 commitment, inner nodes are two 32-byte hashes (64 bytes).
 */
import { bytesToHex, type Hex, hexToBytes, isHex32, ZERO32 } from './bytes';
import { canonicalJson, type JsonValue } from './canonical';
import { ProofError } from './errors';
import { keccak256, keccak256Into } from './keccak';
import type { EventRecord } from './record';
import { randomBytesFromPool } from './random';

export const LEAF_PREFIX = 0x00;
export const COMMITMENT_PREFIX = 0x02;
/** Entries of the service's audit trail (not part of any bundle): proof/audit-entry.ts. */
export const AUDIT_ENTRY_PREFIX = 0x03;

/** `prev` of an order's first event: 32 zero bytes. */
export const GENESIS_PREV: Hex = ZERO32;

const encoder = new TextEncoder();
/** Reused for every preimage: hashing is synchronous, so no two calls ever share it at once. */
let preimage = new Uint8Array(4096);

/** H(prefix || UTF-8(json)), encoding straight into the reused preimage buffer. */
function hashPrefixed(prefix: number, json: string): Hex {
  // UTF-8 takes at most 3 bytes per UTF-16 code unit.
  const needed = 1 + 3 * json.length;
  if (preimage.length < needed) preimage = new Uint8Array(Math.max(needed, 2 * preimage.length));
  preimage[0] = prefix;
  const { written } = encoder.encodeInto(json, preimage.subarray(1));
  return bytesToHex(keccak256(preimage.subarray(0, 1 + written)));
}

/** leaf = H(0x00 || JCS(record)). The record is hashed as given; validate it first where it is untrusted. */
export function leafHash(record: EventRecord): Hex {
  return leafHashOfCanonical(canonicalJson(record));
}

/** The leaf of an already canonical record string (as stored by the server). */
export function leafHashOfCanonical(jcs: string): Hex {
  return hashPrefixed(LEAF_PREFIX, jcs);
}

/** An audit trail entry's hash, H(0x03 || JCS(entry)), of its already canonical JSON (proof/audit-entry.ts). */
export function auditEntryHashOfCanonical(jcs: string): Hex {
  return hashPrefixed(AUDIT_ENTRY_PREFIX, jcs);
}

/** sealed[name] = H(0x02 || JCS({"name": name, "salt": salt, "value": value})). */
export function commitment(name: string, value: JsonValue, salt: Hex): Hex {
  if (typeof name !== 'string' || name.length === 0) {
    throw new ProofError('INVALID_ARGUMENT', 'commitment name must be a non-empty string', { field: 'name' });
  }
  if (!isHex32(salt)) {
    throw new ProofError('INVALID_ARGUMENT', 'salt must be 32 bytes of lowercase 0x-prefixed hex', { field: 'salt' });
  }
  return hashPrefixed(COMMITMENT_PREFIX, canonicalJson({ name, salt, value }));
}

/** A fresh 32-byte salt from the platform's CSPRNG (Web Crypto: Node 20 and browsers alike, through its pool). */
export function randomSalt(): Hex {
  return bytesToHex(randomBytesFromPool(32));
}

/** Lexicographic compare of two 32-byte values as unsigned big-endian. */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) return a[i] - b[i];
  }
  return a.length - b.length;
}

/** Inner node = H(min(a, b) || max(a, b)) — OpenZeppelin MerkleProof and merkletreejs `sortPairs`. */
export function hashPair(a: Uint8Array, b: Uint8Array): Uint8Array {
  const pair = new Uint8Array(64);
  const ordered = compareBytes(a, b) <= 0;
  pair.set(ordered ? a : b, 0);
  pair.set(ordered ? b : a, 32);
  return keccak256(pair);
}

const swapped = new Uint8Array(64);

/**
 * The inner node of the two 32-byte children at `nodes[at..at + 64)`, written to `out[offset..)`:
 * the same rule as `hashPair`, for building whole levels without allocating per node.
 */
export function hashPairAtInto(nodes: Uint8Array, at: number, out: Uint8Array, offset: number): void {
  let order = 0;
  for (let i = 0; i < 32 && order === 0; i++) order = nodes[at + i] - nodes[at + 32 + i];
  if (order <= 0) {
    keccak256Into(nodes.subarray(at, at + 64), out, offset);
    return;
  }
  for (let i = 0; i < 32; i++) {
    swapped[i] = nodes[at + 32 + i];
    swapped[32 + i] = nodes[at + i];
  }
  keccak256Into(swapped, out, offset);
}

export function hashPairHex(a: Hex, b: Hex): Hex {
  return bytesToHex(hashPair(hexToBytes(a), hexToBytes(b)));
}
