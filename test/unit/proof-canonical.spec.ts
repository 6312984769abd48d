import canonicalize from 'canonicalize';
import fc from 'fast-check';
import { canonicalJson, MAX_JSON_DEPTH, ProofError } from '../../proof';

describe('canonicalJson', () => {
  it('sorts keys by UTF-16 code units and serialises numbers per ECMAScript', () => {
    expect(canonicalJson({ b: 1, a: [true, null, 'x'], é: 1e21, A: 0.000001, _: -0 })).toBe(
      '{"A":0.000001,"_":0,"a":[true,null,"x"],"b":1,"é":1e+21}',
    );
  });

  it('matches RFC 8785 appendix examples', () => {
    // RFC 8785 §3.2.3 sorting example (keys in UTF-16 order)
    const input = JSON.parse(
      '{"\\u20ac":"Euro Sign","\\r":"Carriage Return","\\ufb33":"Hebrew Letter Dalet With Dagesh","1":"One","\\ud83d\\ude00":"Emoji: Grinning Face","\\u0080":"Control","\\u00f6":"Latin Small Letter O With Diaeresis"}',
    );
    expect(canonicalJson(input)).toBe(
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control","ö":"Latin Small Letter O With Diaeresis","€":"Euro Sign","😀":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    );
    // eslint-disable-next-line no-loss-of-precision -- RFC 8785's own example: the literal is rounded on purpose
    expect(canonicalJson({ numbers: [333333333.33333329, 1e30, 4.5, 2e-3, 0.000000000000000000000000001] })).toBe(
      '{"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27]}',
    );
  });

  it.each([
    ['NaN', { x: NaN }, '$.x'],
    ['Infinity', { x: [1, -Infinity] }, '$.x[1]'],
    ['undefined', { x: undefined }, '$.x'],
    ['a function', { x: () => 1 }, '$.x'],
    ['a BigInt', { x: BigInt(1) }, '$.x'],
    ['a lone surrogate', { x: 'a\uD800b' }, '$.x'],
    ['a lone surrogate key', { ['\uDC00']: 1 }, '$'],
    ['a Date', { x: new Date(0) }, '$.x'],
    ['a symbol', { x: Symbol('s') }, '$.x'],
  ])('rejects %s naming the field', (_what, value, field) => {
    let error: unknown;
    try {
      canonicalJson(value);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ProofError);
    expect((error as ProofError).code).toBe('NOT_CANONICALIZABLE');
    expect((error as ProofError).field).toBe(field);
  });

  it('rejects nesting deep enough to exhaust the stack with a clear error', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(() => canonicalJson(deep)).toThrow(/nesting deeper than/);
  });

  it('accepts a valid surrogate pair', () => {
    expect(canonicalJson('😀')).toBe('"😀"');
  });

  // canonicalJson serialises by itself; the canonicalize package is the reference it must equal.
  it('writes what the canonicalize package writes for any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(canonicalJson(value)).toBe(canonicalize(value));
      }),
      { numRuns: 2000 },
    );
  });

  it('writes what canonicalize writes for full-Unicode keys and strings, including numbers of every size', () => {
    const text = fc.string({ unit: 'grapheme-composite', maxLength: 12 });
    const scalar = fc.oneof(text, fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer(), fc.boolean(), fc.constant(null));
    const value = fc.letrec<{ json: unknown }>((tie) => ({
      json: fc.oneof(
        { depthSize: 'small' },
        scalar,
        fc.array(tie('json'), { maxLength: 5 }),
        fc.dictionary(text, tie('json'), { maxKeys: 6 }),
      ),
    })).json;
    fc.assert(
      fc.property(value, (v) => {
        expect(canonicalJson(v)).toBe(canonicalize(v));
      }),
      { numRuns: 2000 },
    );
  });

  it('either equals canonicalize or refuses with NOT_CANONICALIZABLE, for anything', () => {
    fc.assert(
      fc.property(
        fc.anything({
          withBigInt: true,
          withDate: true,
          withMap: true,
          withSet: true,
          withNullPrototype: true,
          withSparseArray: true,
          withBoxedValues: true,
          withTypedArray: true,
          maxDepth: 4,
        }),
        (v) => {
          let out: string | undefined;
          try {
            out = canonicalJson(v);
          } catch (e) {
            expect(e).toBeInstanceOf(ProofError);
            expect((e as ProofError).code).toBe('NOT_CANONICALIZABLE');
            return;
          }
          expect(out).toBe(canonicalize(v));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('refuses a lone surrogate anywhere in a string or key', () => {
    const lone = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));
    fc.assert(
      fc.property(fc.string(), lone, fc.string(), fc.boolean(), (before, surrogate, after, asKey) => {
        // A high surrogate right before a low one would pair up: keep the neighbours plain ASCII.
        const s = `${before.replace(/[^\x20-\x7e]/g, '')}${surrogate}${after.replace(/[^\x20-\x7e]/g, '')}`;
        const value = asKey ? { [s]: 1 } : { x: [s] };
        expect(() => canonicalJson(value)).toThrow(ProofError);
      }),
    );
  });

  it(`accepts nesting of exactly ${MAX_JSON_DEPTH} levels below the top and refuses one more`, () => {
    const nest = (levels: number): unknown => (levels === 0 ? 1 : [nest(levels - 1)]);
    expect(canonicalJson(nest(MAX_JSON_DEPTH))).toBe(`${'['.repeat(MAX_JSON_DEPTH)}1${']'.repeat(MAX_JSON_DEPTH)}`);
    expect(() => canonicalJson(nest(MAX_JSON_DEPTH + 1))).toThrow(/nesting deeper than/);
  });
});
