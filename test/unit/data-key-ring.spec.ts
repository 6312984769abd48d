/**
 * Wrapping keys under the data key: bound to what they are for, readable under an earlier key
 * until re-wrapped, and refused by name under a key the ring does not hold.
 */
import { randomBytes } from 'node:crypto';
import { DataKeyRing, dataKeyId } from '../../server/config/data-key-ring';

describe('DataKeyRing', () => {
  const k1 = randomBytes(32);
  const k2 = randomBytes(32);
  const secret = randomBytes(32);

  it('wraps under the current key and unwraps only for the same purpose', () => {
    const ring = new DataKeyRing({ key: k1, previousKeys: [] });
    const wrapped = ring.wrap(secret, 'order\nord_A');
    expect(wrapped.dataKeyId).toBe(dataKeyId(k1));
    expect(wrapped.wrapped.includes(secret)).toBe(false);
    expect(ring.unwrap(wrapped, 'order\nord_A').equals(secret)).toBe(true);
    expect(() => ring.unwrap(wrapped, 'order\nord_B')).toThrow();
    const tampered = Buffer.from(wrapped.wrapped);
    tampered[tampered.length - 1] ^= 1;
    expect(() => ring.unwrap({ ...wrapped, wrapped: tampered }, 'order\nord_A')).toThrow();
  });

  it('unwraps under an earlier key, re-wraps under the current one, and names a key it does not hold', () => {
    const old = new DataKeyRing({ key: k1, previousKeys: [] }).wrap(secret, 'service\nx');
    const rotated = new DataKeyRing({ key: k2, previousKeys: [k1] });
    expect(rotated.knows(dataKeyId(k1))).toBe(true);
    const rewrapped = rotated.wrap(rotated.unwrap(old, 'service\nx'), 'service\nx');
    expect(rewrapped.dataKeyId).toBe(dataKeyId(k2));
    const after = new DataKeyRing({ key: k2, previousKeys: [] });
    expect(after.unwrap(rewrapped, 'service\nx').equals(secret)).toBe(true);
    expect(() => after.unwrap(old, 'service\nx')).toThrow(new RegExp(`data key ${dataKeyId(k1)}, which is not configured`));
  });

  it('gives each key a stable id that is not the key', () => {
    expect(dataKeyId(k1)).toBe(dataKeyId(Buffer.from(k1)));
    expect(dataKeyId(k1)).not.toBe(dataKeyId(k2));
    expect(dataKeyId(k1)).toMatch(/^[0-9a-f]{16}$/);
    expect(k1.toString('hex')).not.toContain(dataKeyId(k1));
  });
});
