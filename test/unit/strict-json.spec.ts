/**
 * The strict JSON parser of request bodies: what it refuses, where it says the problem is, and
 * that everything else reads exactly as JSON.parse reads it.
 */
import fc from 'fast-check';
import { parseJsonBody } from '../../server/http/json-body-parser';
import { keepsValueAsDouble, MAX_BODY_DEPTH, parseStrictJson } from '../../server/http/strict-json';

interface Refusal {
  code: string;
  errors?: { field: string; message: string }[];
}

function refusal(text: string): Refusal {
  try {
    parseStrictJson(text);
  } catch (e) {
    const err = e as { code: string; extensions: { errors?: Refusal['errors'] } };
    return { code: err.code, errors: err.extensions.errors };
  }
  throw new Error(`accepted: ${text.slice(0, 100)}`);
}

const fieldOf = (text: string): string | undefined => refusal(text).errors?.[0]?.field;

describe('duplicate keys', () => {
  it.each([
    ['at the top', '{"reference":"a","reference":"b"}', 'reference'],
    ['in a nested object', '{"data":{"x":{"y":1,"z":2,"y":3}}}', 'data.x.y'],
    ['in an array item', '{"items":[{"order":{}},{"event":{"type":"paid","type":"shipped"}}]}', 'items[1].event.type'],
    ['spelled with an escape', '{"data":{"a":1,"\\u0061":2}}', 'data.a'],
  ])('refuses them %s, naming the key path', (_, text, field) => {
    expect(refusal(text).code).toBe('MALFORMED_JSON');
    expect(fieldOf(text)).toBe(field);
  });

  it('keeps the same key in different objects', () => {
    expect(parseStrictJson('{"a":{"k":1},"b":{"k":2},"c":[{"k":3},{"k":4}]}')).toEqual({
      a: { k: 1 },
      b: { k: 2 },
      c: [{ k: 3 }, { k: 4 }],
    });
  });

  it('is not fooled by colons and quotes inside strings', () => {
    const text = '{"at":"10:15:00","note":"a \\"q\\": b","x":{"k":"::"}}';
    expect(parseStrictJson(text)).toEqual(JSON.parse(text));
    expect(fieldOf('{"at":"10:15:00","note":"a \\"q\\": b","at":"x"}')).toBe('at');
  });
});

describe('numbers', () => {
  it.each(['9007199254740993', '12345678901234567890', '0.30000000000000000001', '1e400', '-1e400', '1e-400', '1.00000000000000001'])(
    'refuses %s, whose value a double does not keep, naming the field',
    (n) => {
      const r = refusal(`{"data":{"n":${n}}}`);
      expect(r.code).toBe('VALIDATION_FAILED');
      expect(r.errors?.[0].field).toBe('data.n');
    },
  );

  it.each([
    ['1.0', 1],
    ['1', 1],
    ['1e2', 100],
    ['100.000', 100],
    ['-0', -0],
    ['0.1', 0.1],
    ['9007199254740992', 2 ** 53],
    ['1e21', 1e21],
    ['123456789012345', 123456789012345],
    ['0.000000000000000000001', 1e-21],
    ['5e-324', 5e-324],
  ])('accepts %s: the same value per RFC 8785', (n, value) => {
    expect(parseStrictJson(`{"n":${n}}`)).toEqual({ n: value });
    expect(keepsValueAsDouble(n)).toBe(true);
  });

  it('keeps an integer exactly when RFC 8785 writes its double back as the same digits', () => {
    // Below 10^21 ECMAScript writes integers without an exponent, so the digits can be compared as text.
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 21n) + 1n, max: 10n ** 21n - 1n }), (big) => {
        const literal = big.toString();
        expect(keepsValueAsDouble(literal)).toBe(String(Number(literal)) === (literal === '-0' ? '0' : literal));
      }),
    );
    expect(keepsValueAsDouble(String(2n ** 53n + 1n))).toBe(false);
    expect(keepsValueAsDouble(String(2n ** 53n + 2n))).toBe(true);
    // 2^60 is a double, but RFC 8785 writes it 1152921504606847000: the record would not say what was sent.
    expect(keepsValueAsDouble(String(2n ** 60n))).toBe(false);
  });

  it('accepts every number a double writes back to itself', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (d) => {
        expect(parseStrictJson(`[${String(d)}]`)).toEqual([d === 0 ? 0 : d]);
      }),
    );
  });
});

describe('characters PostgreSQL or RFC 8785 cannot hold', () => {
  it.each([
    ['U+0000 in a value', '{"data":{"a":["ok","x\\u0000y"]}}', 'data.a[1]'],
    ['a lone high surrogate', '{"customer":{"name":"\\ud800"}}', 'customer.name'],
    ['a lone low surrogate', '{"reference":"x\\uDC00"}', 'reference'],
    ['a high surrogate followed by a plain character', '{"sealed":{"n":"\\uD83Dx"}}', 'sealed.n'],
    ['two high surrogates', '{"sealed":{"n":"\\uD83D\\uD83D"}}', 'sealed.n'],
    ['U+0000 in a key', '{"data":{"a\\u0000b":1}}', 'data.a\\u0000b'],
    ['a lone surrogate in a key', '{"data":{"\\ud800":1}}', 'data.\ud800'],
  ])('refuses %s, naming the field', (_, text, field) => {
    const r = refusal(text);
    expect(r.code).toBe('VALIDATION_FAILED');
    expect(r.errors?.[0].field).toBe(field);
  });

  it('keeps escaped pairs and other escapes exactly', () => {
    const text = '{"a":"\\ud83d\\ude00 \\u00e9 \\n \\\\ \\" \\u001f \\u202e","b":"\\u0041"}';
    expect(parseStrictJson(text)).toEqual(JSON.parse(text));
  });
});

describe('nesting', () => {
  const nested = (levels: number): string => `${'['.repeat(levels)}${']'.repeat(levels)}`;

  it(`accepts ${MAX_BODY_DEPTH} levels and refuses one more, saying where`, () => {
    expect(parseStrictJson(nested(MAX_BODY_DEPTH))).toBeDefined();
    const r = refusal(nested(MAX_BODY_DEPTH + 1));
    expect(r.code).toBe('MALFORMED_JSON');
    expect(r.errors?.[0].field).toBe('[0]'.repeat(MAX_BODY_DEPTH));
  });

  it('refuses the depths that overflowed the stack later, and far deeper ones, quickly', () => {
    for (const levels of [1500, 3000, 1_000_000]) {
      const text = `{"data":{"a":${'['.repeat(levels)}${']'.repeat(levels)}}}`;
      expect(refusal(text).code).toBe('MALFORMED_JSON');
    }
    expect(fieldOf(`{"data":{"a":${'{"b":'.repeat(100)}1${'}'.repeat(100)}}}`)).toMatch(/^data\.a(\.b)+$/);
  });
});

describe('keys the pipeline would drop', () => {
  it.each(['__proto__', 'constructor', 'prototype', '\\u005f_proto__'])('refuses %s naming where it is', (key) => {
    const r = refusal(`{"data":{"ok":1,"x":[{"${key}":1}]}}`);
    expect(r.code).toBe('MALFORMED_JSON');
    expect(r.errors?.[0].field).toMatch(/^data\.x\[0\]\.(__proto__|constructor|prototype)$/);
  });
});

describe('everything else', () => {
  it('reads any JSON object exactly as JSON.parse does', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 6 })), (value) => {
        const text = JSON.stringify(value);
        if (/__proto__|constructor|prototype/.test(text) || text.includes('\\u0000')) return;
        const exact = (v: unknown): boolean =>
          typeof v === 'number'
            ? keepsValueAsDouble(JSON.stringify(v))
            : typeof v === 'string'
              ? !v.includes('\u0000') && (v as string & { isWellFormed(): boolean }).isWellFormed()
              : typeof v === 'object' && v !== null
                ? Object.entries(v).every(([k, x]) => exact(k) && exact(x))
                : true;
        if (!exact(value)) return;
        expect(parseStrictJson(text)).toEqual(JSON.parse(text));
      }),
      { numRuns: 300 },
    );
  });

  it('reads text with escapes of any kind exactly as JSON.parse does, and refuses what the exact parser refuses', () => {
    const json = fc.dictionary(fc.string({ unit: 'binary', maxLength: 8 }), fc.string({ unit: 'binary', maxLength: 8 }), { maxKeys: 5 });
    fc.assert(
      fc.property(json, fc.boolean(), (value, asciiOnly) => {
        let text = JSON.stringify({ v: value });
        // Clients that write everything outside ASCII as \u escapes (Python's default) must read the same.
        if (asciiOnly) text = text.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
        const strings = [...Object.keys(value), ...Object.values(value)];
        const refused = strings.some((x) => x.includes('\u0000') || !(x as string & { isWellFormed(): boolean }).isWellFormed());
        if (/__proto__|constructor|prototype/.test(text) || refused) expect(() => parseStrictJson(text)).toThrow();
        else expect(parseStrictJson(text)).toEqual(JSON.parse(text));
      }),
      { numRuns: 500 },
    );
  });

  it('finds a duplicate key wherever it is put', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), fc.nat(), fc.string({ maxLength: 6 }), (value, pick, key) => {
        const root = { root: structuredClone(value) as unknown };
        const objects: Record<string, unknown>[] = [];
        const collect = (v: unknown): void => {
          if (typeof v !== 'object' || v === null) return;
          if (!Array.isArray(v)) objects.push(v as Record<string, unknown>);
          Object.values(v).forEach(collect);
        };
        collect(root);
        objects[pick % objects.length]['\u0001dup'] = 0;
        const k = JSON.stringify(key);
        const dup = JSON.stringify(root).replace('"\\u0001dup":0', () => `${k}:1,${k}:2`);
        expect(dup).not.toContain('u0001dup');
        expect(() => parseStrictJson(dup)).toThrow(/appears more than once|not accepted|U\+0000|surrogate|kept exactly/);
      }),
      { numRuns: 500 },
    );
  });

  it('refuses malformed text and bare values as malformed JSON', () => {
    for (const text of ['{"a":', '{"a":1}x', '{"a" 1}', '"x"', '42', ' ']) {
      expect(() => parseJsonBody(text)).toThrow(/not valid JSON/);
    }
  });
});
