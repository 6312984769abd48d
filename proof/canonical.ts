import canonicalize from 'canonicalize';
import { ProofError } from './errors';

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

/** RFC 8785 (JCS) canonical JSON of `value`; throws `ProofError('NOT_CANONICALIZABLE')` naming the field. */
export function canonicalJson(value: unknown): string {
  assertJcsValue(value, '$', 0);
  const out = canonicalize(value);
  if (typeof out !== 'string') fail('$', 'the value');
  return out;
}
