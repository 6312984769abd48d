/**
 * Properties of the proof core over generated input: canonical JSON survives a round trip,
 * assertBundle refuses anything malformed only with ProofError, and no single-byte change of a
 * record leaves a bundle verified.
 */
import fc from 'fast-check';
import { assertBundle, canonicalJson, ProofError, verifyBundle } from '../../proof';
import { buildTestBundle } from '../support/proof-bundle';

const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x));

function anchoredOrder() {
  return buildTestBundle({
    brand: '小米',
    events: [
      {
        type: 'created',
        data: { items: [{ sku: 'A1', qty: 2 }], total: 99.5, note: '请尽快发货' },
        sealed: { address: '北京市' },
        disclose: ['address'],
      },
      { type: 'paid', data: { method: 'card' } },
      { type: 'shipped', data: { carrier: 'DHL', tracking: 'JD0146' } },
    ],
    batches: [[0, 1], [2]],
  });
}

/** Every path to a value inside `x` (objects and arrays), the empty path for `x` itself. */
function paths(x: unknown, at: (string | number)[] = []): (string | number)[][] {
  const out = [at];
  if (typeof x === 'object' && x !== null)
    for (const [k, v] of Object.entries(x)) out.push(...paths(v, [...at, Array.isArray(x) ? Number(k) : k]));
  return out;
}

function setAt(root: unknown, path: (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  let node = root as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path[path.length - 1]] = value;
  return root;
}

describe('canonicalJson', () => {
  it('round-trips: parsing its output gives the value back, and canonicalising that gives the same text', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = canonicalJson(value);
        const parsed: unknown = JSON.parse(text);
        // JSON has no negative zero: -0 is written as 0.
        expect(parsed).toEqual(JSON.parse(JSON.stringify(value)));
        expect(canonicalJson(parsed)).toBe(text);
      }),
      { numRuns: 300 },
    );
  });
});

describe('assertBundle', () => {
  const isProofError = (run: () => void) => {
    try {
      run();
      return true;
    } catch (e) {
      return e instanceof ProofError && e.code === 'MALFORMED_BUNDLE';
    }
  };

  it('accepts a well-formed bundle', () => {
    expect(() => assertBundle(anchoredOrder().bundle)).not.toThrow();
  });

  it('throws nothing but ProofError for any value', () => {
    fc.assert(
      fc.property(fc.anything({ withBigInt: true, withDate: true, withMap: true, withNullPrototype: true, withTypedArray: true }), (x) => {
        expect(isProofError(() => assertBundle(x))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('throws nothing but ProofError for a bundle with any one part replaced by any value', () => {
    const { bundle } = anchoredOrder();
    const all = paths(bundle);
    fc.assert(
      fc.property(fc.constantFrom(...all), fc.anything({ withBigInt: true, withNullPrototype: true }), (path, value) => {
        const changed = setAt(clone(bundle), path, value);
        expect(isProofError(() => assertBundle(changed))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

describe('verifyBundle', () => {
  it('never says verified after any single-byte change of a record', async () => {
    const { bundle, chain } = anchoredOrder();
    await expect(verifyBundle(bundle, chain)).resolves.toMatchObject({ verdict: 'verified' });
    const records = bundle.events.map((e) => Buffer.from(JSON.stringify(e.record)));
    const change = fc
      .integer({ min: 0, max: records.length - 1 })
      .chain((event) =>
        fc.record({ event: fc.constant(event), at: fc.nat({ max: records[event].length - 1 }), byte: fc.integer({ min: 0, max: 255 }) }),
      );
    await fc.assert(
      fc.asyncProperty(change, async ({ event, at, byte }) => {
        fc.pre(records[event][at] !== byte);
        const bytes = Buffer.from(records[event]);
        bytes[at] = byte;
        let record: unknown;
        try {
          record = JSON.parse(bytes.toString('utf8'));
        } catch {
          fc.pre(false); // no longer JSON: refused before verification
        }
        // A change JSON cannot see (e.g. 1e2 to 1E2) leaves the record as it was: not a change of the record.
        fc.pre(JSON.stringify(record) !== records[event].toString('utf8'));
        const tampered = clone(bundle) as { events: { record: unknown }[] };
        tampered.events[event].record = record;
        const result = await verifyBundle(tampered, chain);
        expect(result.verdict).not.toBe('verified');
        expect(result.events[event].status).toBe('invalid');
      }),
      { numRuns: 300 },
    );
  });
});
