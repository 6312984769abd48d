/**
 * The hashing rules of proof specification v1, stated once (docs/proof-spec.md).
 * H = keccak-256; every preimage starts with a domain byte so leaves, commitments and inner nodes
 * can never be confused: 0x00 leaf, 0x02 commitment, inner nodes are two 32-byte hashes (64 bytes).
 */
import { keccak_256 } from '@noble/hashes/sha3';
import { bytesToHex, concatBytes, type Hex, hexToBytes, isHex32, utf8Bytes, ZERO32 } from './bytes';
import { canonicalJson, type JsonValue } from './canonical';
import { ProofError } from './errors';
import type { EventRecord } from './record';

export const LEAF_PREFIX = 0x00;
export const COMMITMENT_PREFIX = 0x02;

/** `prev` of an order's first event: 32 zero bytes. */
export const GENESIS_PREV: Hex = ZERO32;

export function keccak256(data: Uint8Array): Uint8Array {
  return keccak_256(data);
}

function prefixed(prefix: number, json: string): Uint8Array {
  const body = utf8Bytes(json);
  const out = new Uint8Array(body.length + 1);
  out[0] = prefix;
  out.set(body, 1);
  return out;
}

/** leaf = H(0x00 || JCS(record)). The record is hashed as given; validate it first where it is untrusted. */
export function leafHash(record: EventRecord): Hex {
  return leafHashOfCanonical(canonicalJson(record));
}

/** The leaf of an already canonical record string (as stored by the server). */
export function leafHashOfCanonical(jcs: string): Hex {
  return bytesToHex(keccak256(prefixed(LEAF_PREFIX, jcs)));
}

/** sealed[name] = H(0x02 || JCS({"name": name, "salt": salt, "value": value})). */
export function commitment(name: string, value: JsonValue, salt: Hex): Hex {
  if (typeof name !== 'string' || name.length === 0) {
    throw new ProofError('INVALID_ARGUMENT', 'commitment name must be a non-empty string', { field: 'name' });
  }
  if (!isHex32(salt)) {
    throw new ProofError('INVALID_ARGUMENT', 'salt must be 32 bytes of lowercase 0x-prefixed hex', { field: 'salt' });
  }
  return bytesToHex(keccak256(prefixed(COMMITMENT_PREFIX, canonicalJson({ name, salt, value }))));
}

/** A fresh 32-byte salt from the platform's CSPRNG (Web Crypto: Node 20 and browsers alike). */
export function randomSalt(): Hex {
  const bytes = new Uint8Array(32);
  globalThis.crypto.getRandomValues(bytes);
  return bytesToHex(bytes);
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
  return compareBytes(a, b) <= 0 ? keccak256(concatBytes(a, b)) : keccak256(concatBytes(b, a));
}

export function hashPairHex(a: Hex, b: Hex): Hex {
  return bytesToHex(hashPair(hexToBytes(a), hexToBytes(b)));
}
