import { invariant, ProofError } from './errors';

/** A value RFC 8785 can represent. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Deeper values are refused: they are never legitimate order data and would exhaust the stack. */
export const MAX_JSON_DEPTH = 64;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function fail(path: string, what: string): never {
  throw new ProofError('NOT_CANONICALIZABLE', `${path}: ${what} cannot be represented in RFC 8785 canonical JSON`, {
    field: path,
  });
}

/**
 * Rejects what JCS cannot represent instead of letting `JSON.stringify` silently coerce it
 * (NaN → null, undefined → dropped, lone surrogates → escapes, toJSON → something else).
 */
function assertJcsValue(value: unknown, path: string, depth: number): void {
  if (depth > MAX_JSON_DEPTH) fail(path, `nesting deeper than ${MAX_JSON_DEPTH}`);
  switch (typeof value) {
    case 'string':
      if (LONE_SURROGATE.test(value)) fail(path, 'a string with a lone surrogate');
      return;
    case 'number':
      if (!Number.isFinite(value)) fail(path, String(value));
      return;
    case 'boolean':
      return;
    case 'object': {
      if (value === null) return;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
          if (!(i in value)) fail(`${path}[${i}]`, 'an array hole');
          assertJcsValue(value[i], `${path}[${i}]`, depth + 1);
        }
        return;
      }
      const proto = Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null;
      if (proto !== Object.prototype && proto !== null) fail(path, `an instance of ${proto.constructor?.name ?? 'a class'}`);
      for (const key of Object.keys(value)) {
        if (LONE_SURROGATE.test(key)) fail(path, 'a key with a lone surrogate');
        assertJcsValue((value as Record<string, unknown>)[key], `${path}.${key}`, depth + 1);
      }
      return;
    }
    default:
      // undefined, function, bigint, symbol
      fail(path, `a value of type ${typeof value}`);
  }
}

const nativeIsWellFormed = (String.prototype as { isWellFormed?: (this: string) => boolean }).isWellFormed;

/** No lone surrogates; the engine's own check where it has one (ES2024), else the pattern. */
function isWellFormed(s: string): boolean {
  return nativeIsWellFormed !== undefined ? nativeIsWellFormed.call(s) : !LONE_SURROGATE.test(s);
}

/**
 * Serialises in one pass, with the same acceptance rules as `assertJcsValue` but returning
 * undefined instead of naming the field: the rare failure is then explained by the slower check.
 * Output is the `canonicalize` package's on every value both accept (test/unit/proof-canonical.spec.ts):
 * keys sorted by UTF-16 code units, strings as JSON.stringify writes them, numbers per ECMAScript.
 */
function serialize(value: unknown, depth: number): string | undefined {
  if (depth > MAX_JSON_DEPTH) return undefined;
  switch (typeof value) {
    case 'string':
      return isWellFormed(value) ? JSON.stringify(value) : undefined;
    case 'number':
      // ECMAScript Number::toString, which is what RFC 8785 prescribes (and -0 becomes 0).
      return Number.isFinite(value) ? String(value) : undefined;
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (value === null) return 'null';
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) {
          if (!(i in value)) return undefined;
          const item = serialize(value[i], depth + 1);
          if (item === undefined) return undefined;
          out += i === 0 ? item : `,${item}`;
        }
        return `${out}]`;
      }
      const proto = Object.getPrototypeOf(value) as unknown;
      if (proto !== Object.prototype && proto !== null) return undefined;
      const keys = Object.keys(value).sort();
      let out = '{';
      for (let k = 0; k < keys.length; k++) {
        const key = keys[k];
        if (!isWellFormed(key)) return undefined;
        const item = serialize((value as Record<string, unknown>)[key], depth + 1);
        if (item === undefined) return undefined;
        out += `${k === 0 ? '' : ','}${JSON.stringify(key)}:${item}`;
      }
      return `${out}}`;
    }
    default:
      return undefined;
  }
}

/** RFC 8785 (JCS) canonical JSON of `value`; throws `ProofError('NOT_CANONICALIZABLE')` naming the field. */
export function canonicalJson(value: unknown): string {
  const out = serialize(value, 0);
  if (out !== undefined) return out;
  assertJcsValue(value, '$', 0);
  invariant(false, 'canonical JSON refused a value that the field check accepts');
}
