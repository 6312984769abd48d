/**
 * The keccak-256 primitive, the one part of the proof core with two implementations: @noble/hashes
 * (pure JS, small: the default everywhere, and the only one in the browser page) and a WebAssembly
 * one that Node entry points install with `useFastKeccak()` (proof/fast-keccak.ts). Both compute
 * the same function; every hashing rule calls `keccak256` here and never names an implementation.
 */
import { keccak_256 } from '@noble/hashes/sha3';

export interface KeccakBackend {
  /** Shown by benchmarks and diagnostics, e.g. "@noble/hashes". */
  readonly name: string;
  /** keccak-256 of `data`, as a new 32-byte array. */
  hash(data: Uint8Array): Uint8Array;
  /** keccak-256 of `data`, written to `out[offset..offset + 32)`; `data` must not overlap that range. */
  hashInto(data: Uint8Array, out: Uint8Array, offset: number): void;
}

export const nobleKeccak: KeccakBackend = {
  name: '@noble/hashes',
  hash: (data) => keccak_256(data),
  hashInto: (data, out, offset) => out.set(keccak_256(data), offset),
};

let active: KeccakBackend = nobleKeccak;

/** keccak-256 (the Ethereum variant, not NIST SHA3-256) with whichever backend is installed. */
export function keccak256(data: Uint8Array): Uint8Array {
  return active.hash(data);
}

/** keccak-256 of `data` into `out` at `offset`, saving an allocation where the backend can. */
export function keccak256Into(data: Uint8Array, out: Uint8Array, offset: number): void {
  active.hashInto(data, out, offset);
}

/**
 * Installs a backend for every later hash. Only for implementations of the same function: the
 * tests check each backend against the default on random inputs.
 */
export function setKeccakBackend(backend: KeccakBackend): void {
  active = backend;
}

export function keccakBackend(): KeccakBackend {
  return active;
}
