/** Byte and hex helpers shared by every part of the proof core (browser-safe: no Buffer). */

/** A lowercase, `0x`-prefixed hex string. */
export type Hex = `0x${string}`;

const HEX_RE = /^0x(?:[0-9a-fA-F]{2})*$/;
const HEX32_RE = /^0x[0-9a-f]{64}$/;
const ADDRESS_RE = /^0x[0-9a-fA-F]{40}$/;

const HEX_ASCII = new Uint8Array(16);
for (let c = 0; c < 16; c++) HEX_ASCII[c] = '0123456789abcdef'.charCodeAt(c);
const asciiDecoder = new TextDecoder();
/** Reused for hashes and other short values: the decoder then returns one flat string, with no per-byte pieces. */
const hexScratch = new Uint8Array(2 + 2 * 256);

export function bytesToHex(bytes: Uint8Array): Hex {
  const length = 2 + 2 * bytes.length;
  const out = length <= hexScratch.length ? hexScratch : new Uint8Array(length);
  out[0] = 48; // 0
  out[1] = 120; // x
  for (let i = 0, w = 2; i < bytes.length; i++, w += 2) {
    const b = bytes[i];
    out[w] = HEX_ASCII[b >> 4];
    out[w + 1] = HEX_ASCII[b & 15];
  }
  return asciiDecoder.decode(out.subarray(0, length)) as Hex;
}

function nibble(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 97 && code <= 102) return code - 87;
  if (code >= 65 && code <= 70) return code - 55;
  return -1;
}

/** Parses `0x`-prefixed hex with an even number of digits; throws on anything else. */
export function hexToBytes(hex: string): Uint8Array {
  if (typeof hex !== 'string' || !HEX_RE.test(hex)) throw new TypeError(`not a 0x-prefixed even-length hex string`);
  const out = new Uint8Array((hex.length - 2) / 2);
  for (let i = 0; i < out.length; i++) {
    out[i] = (nibble(hex.charCodeAt(2 + 2 * i)) << 4) | nibble(hex.charCodeAt(3 + 2 * i));
  }
  return out;
}

/** Hex into `target` at `offset` without allocating; the caller guarantees a valid 32-byte hex. */
export function writeHex32(hex: string, target: Uint8Array, offset: number): void {
  for (let i = 0; i < 32; i++) {
    target[offset + i] = (nibble(hex.charCodeAt(2 + 2 * i)) << 4) | nibble(hex.charCodeAt(3 + 2 * i));
  }
}

const encoder = new TextEncoder();
export function utf8Bytes(s: string): Uint8Array {
  return encoder.encode(s);
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/** A canonical (lowercase) 32-byte hex value, as every hash in the spec is written. */
export function isHex32(x: unknown): x is Hex {
  return typeof x === 'string' && HEX32_RE.test(x);
}

/** A 20-byte address, any letter case (EIP-55 checksummed addresses are accepted). */
export function isAddress(x: unknown): x is Hex {
  return typeof x === 'string' && ADDRESS_RE.test(x);
}

export const ZERO32: Hex = `0x${'0'.repeat(64)}`;
