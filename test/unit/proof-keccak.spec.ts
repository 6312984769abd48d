import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { keccak256 as ethersKeccak } from 'ethers';
import fc from 'fast-check';
import {
  bytesToHex,
  commitment,
  type EventRecord,
  GENESIS_PREV,
  hashPair,
  type JsonValue,
  keccak256,
  keccak256Into,
  keccakBackend,
  leafHash,
  nobleKeccak,
  setKeccakBackend,
} from '../../proof';
import { createWasmKeccak, useFastKeccak } from '../../proof/fast-keccak';

const root = resolve(__dirname, '../..');

describe('keccak-256 backends', () => {
  afterEach(() => setKeccakBackend(nobleKeccak));

  it('is @noble/hashes until a Node entry point installs the WebAssembly one', async () => {
    expect(keccakBackend().name).toBe('@noble/hashes');
    await useFastKeccak();
    expect(keccakBackend().name).toBe('hash-wasm');
    await useFastKeccak(); // a second call (CLI inside the server's tests, say) changes nothing
    expect(keccakBackend().name).toBe('hash-wasm');
  });

  it('agree with each other and with ethers on random inputs of every length, across the 136-byte rate and the 16 KB copy window', async () => {
    const wasm = await createWasmKeccak();
    const lengths = fc.oneof(fc.integer({ min: 0, max: 300 }), fc.constantFrom(135, 136, 137, 271, 272, 16_383, 16_384, 16_385, 40_000));
    fc.assert(
      fc.property(
        lengths.chain((n) => fc.uint8Array({ minLength: n, maxLength: n })),
        (data) => {
          const expected = ethersKeccak(data);
          expect(bytesToHex(nobleKeccak.hash(data))).toBe(expected);
          expect(bytesToHex(wasm.hash(data))).toBe(expected);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('write digests into an array at any offset without touching its other bytes', async () => {
    const wasm = await createWasmKeccak();
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.integer({ min: 0, max: 64 }), (data, offset) => {
        const expected = nobleKeccak.hash(data);
        for (const backend of [nobleKeccak, wasm]) {
          const out = new Uint8Array(offset + 32 + 7).fill(0xee);
          backend.hashInto(data, out, offset);
          expect(out.subarray(offset, offset + 32)).toEqual(expected);
          expect(out.subarray(0, offset).every((b) => b === 0xee)).toBe(true);
          expect(out.subarray(offset + 32).every((b) => b === 0xee)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('give the same leaves, commitments and inner nodes through the proof core', async () => {
    const wasm = await createWasmKeccak();
    const hex32 = fc.uint8Array({ minLength: 32, maxLength: 32 }).map(bytesToHex);
    const json = fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<JsonValue>;
    const record = fc.record({
      seq: fc.integer({ min: 1, max: 1_000_000 }),
      data: fc.dictionary(fc.string({ unit: 'grapheme', maxLength: 8 }), json, { maxKeys: 5 }),
      sealed: fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), hex32, { maxKeys: 3 }),
    });
    fc.assert(
      fc.property(record, hex32, hex32, json, (r, a, b, value) => {
        const full: EventRecord = {
          v: 1,
          brand: 'acme',
          order: 'ord_01JDTEST',
          seq: r.seq,
          type: 'shipped',
          at: '2026-11-24T10:15:00.000Z',
          recorded: '2026-11-24T10:15:02.113Z',
          data: r.data,
          sealed: r.sealed,
          prev: GENESIS_PREV,
        };
        const results = [nobleKeccak, wasm].map((backend) => {
          setKeccakBackend(backend);
          const pair = new Uint8Array(32);
          keccak256Into(new Uint8Array([1, 2, 3]), pair, 0);
          return {
            leaf: leafHash(full),
            commitment: commitment('address', value, a),
            node: bytesToHex(hashPair(keccak256(new TextEncoder().encode(a)), keccak256(new TextEncoder().encode(b)))),
            into: bytesToHex(pair),
          };
        });
        expect(results[1]).toEqual(results[0]);
      }),
      { numRuns: 300 },
    );
  });

  // The page's size budget is checked on the built page (verifier-size.spec.ts); this names the
  // cause directly: the WebAssembly backend must not be reachable from the page's imports.
  it('keeps hash-wasm out of everything the verifier page imports', () => {
    const seen = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const source = readFileSync(file, 'utf8');
      for (const [, spec] of source.matchAll(/(?:import|export)[^'"]*?from\s*['"]([^'"]+)['"]/g)) {
        expect(spec).not.toBe('hash-wasm');
        if (!spec.startsWith('.')) continue;
        const target = resolve(dirname(file), spec);
        visit(existsSync(`${target}.ts`) ? `${target}.ts` : resolve(target, 'index.ts'));
      }
    };
    visit(resolve(root, 'verifier-web/src/main.ts'));
    const files = [...seen].map((f) => f.slice(root.length + 1));
    expect(files).toContain('proof/verify.ts');
    expect(files).toContain('proof/keccak.ts');
    expect(files).not.toContain('proof/fast-keccak.ts');
  });
});
