import { canonicalJson, ProofError } from '../../proof';

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
});
