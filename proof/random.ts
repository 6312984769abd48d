/**
 * Random bytes from the platform's CSPRNG (Web Crypto: Node and browsers alike), drawn a block at
 * a time: on some hosts each call into the platform costs far more than the bytes it returns, and
 * a write needs several small draws (order ids, salts, keys, IVs). Every byte is handed out once
 * and wiped from the block as it leaves.
 */
const BLOCK_BYTES = 4096;

let block: Uint8Array<ArrayBuffer> = new Uint8Array(0);
let offset = 0;

/** `n` fresh random bytes, a copy of their own. */
export function randomBytesFromPool(n: number): Uint8Array<ArrayBuffer> {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`cannot draw ${n} random bytes`);
  if (n > BLOCK_BYTES) return fill(new Uint8Array(n));
  if (offset + n > block.length) {
    block = fill(new Uint8Array(BLOCK_BYTES));
    offset = 0;
  }
  const out = block.slice(offset, offset + n);
  block.fill(0, offset, offset + n);
  offset += n;
  return out;
}

/** Web Crypto fills at most 65,536 bytes per call. */
function fill(bytes: Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer> {
  for (let at = 0; at < bytes.length; at += 65_536)
    globalThis.crypto.getRandomValues(bytes.subarray(at, Math.min(bytes.length, at + 65_536)));
  return bytes;
}
