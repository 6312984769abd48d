/**
 * Random bytes drawn from the CSPRNG a block at a time: every draw is fresh and its own copy,
 * across block refills and for draws larger than a block.
 */
import { randomBytesFromPool } from '../../proof/random';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

describe(randomBytesFromPool.name, () => {
  it('never hands out the same bytes twice, across many block refills', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 20_000; i++) {
      const bytes = randomBytesFromPool(12 + (i % 21));
      expect(bytes).toHaveLength(12 + (i % 21));
      seen.add(hex(bytes.subarray(0, 12)));
    }
    expect(seen.size).toBe(20_000);
  });

  it('gives each caller a copy of its own: changing one draw changes no other', () => {
    const a = randomBytesFromPool(32);
    const b = randomBytesFromPool(32);
    const before = hex(b);
    a.fill(0);
    expect(hex(b)).toBe(before);
    expect(a.buffer).not.toBe(b.buffer);
  });

  it('draws more than a block, and nothing, and refuses a length that is no byte count', () => {
    const big = randomBytesFromPool(100_000);
    expect(big).toHaveLength(100_000);
    // Web Crypto fills at most 65,536 bytes a call: the tail is filled too.
    expect(big.subarray(70_000).some((b) => b !== 0)).toBe(true);
    expect(randomBytesFromPool(0)).toHaveLength(0);
    expect(() => randomBytesFromPool(-1)).toThrow(RangeError);
    expect(() => randomBytesFromPool(1.5)).toThrow(RangeError);
  });

  it('looks uniform: every byte value turns up in 64 KB of draws', () => {
    const counts = new Array<number>(256).fill(0);
    for (let i = 0; i < 2048; i++) for (const b of randomBytesFromPool(32)) counts[b] += 1;
    // 65,536 bytes over 256 values: 256 expected each; far below 128 would mean a broken source.
    expect(Math.min(...counts)).toBeGreaterThan(128);
  });
});
