/**
 * The WebAssembly keccak-256 backend (hash-wasm), for Node entry points: the server, the CLI and
 * the benchmarks call `await useFastKeccak()` once at start. Deliberately not exported from
 * proof/index.ts, so that the verifier page never bundles it (it keeps @noble/hashes).
 */
import { createKeccak } from 'hash-wasm';
import { type KeccakBackend, setKeccakBackend } from './keccak';

/** Creates the hash-wasm backend; one WebAssembly instance, reused by every (synchronous) call. */
export async function createWasmKeccak(): Promise<KeccakBackend> {
  const hasher = await createKeccak(256);
  const hash = (data: Uint8Array): Uint8Array => hasher.init().update(data).digest('binary');
  return {
    name: 'hash-wasm',
    hash,
    hashInto: (data, out, offset) => out.set(hash(data), offset),
  };
}

let wasmKeccak: Promise<KeccakBackend> | undefined;

/** Installs the WebAssembly backend for every later `keccak256`; the instance is created once. */
export async function useFastKeccak(): Promise<void> {
  wasmKeccak ??= createWasmKeccak().catch((e: unknown) => {
    wasmKeccak = undefined; // let a later call try again
    throw e;
  });
  setKeccakBackend(await wasmKeccak);
}
