import { DomainError, ErrorCode, invalidField } from '../errors/domain-error';

/**
 * How deeply a request body may nest objects and arrays (the body itself is level 1). Deeper
 * bodies are refused before anything recurses over them; order data never needs more.
 */
export const MAX_BODY_DEPTH = 64;

/** Keys the rest of the pipeline would drop silently (ValidationPipe, class-transformer). */
const REFUSED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** 400 MALFORMED_JSON for a body, naming where in it when known: the one way bodies are refused as JSON. */
export function malformed(message: string, field?: string): DomainError {
  return new DomainError(
    ErrorCode.MALFORMED_JSON,
    `The body is not valid JSON: ${message}`,
    field === undefined ? {} : { errors: [{ field, message }] },
  );
}

function memberPath(parent: string, key: string): string {
  const shown = key.length > 80 ? `${key.slice(0, 80)}…` : key;
  return parent === '' ? shown : `${parent}.${shown}`;
}

const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;

/** What one linear pass over the text found: enough to decide whether the exact (slow) check must run. */
interface TextScan {
  /** Object members: one `:` outside strings each. */
  members: number;
  /** Nesting beyond MAX_BODY_DEPTH. */
  tooDeep: boolean;
  /** An escape for U+0000 or a surrogate not in a pair, or a number a double may not hold exactly. */
  suspect: boolean;
}

/**
 * One pass over the JSON text, skipping string contents with indexOf. It never decides alone:
 * what it flags is judged by `exactParse`, so it may flag too much but never too little.
 */
function scanText(text: string): TextScan {
  const n = text.length;
  let members = 0;
  let depth = 0;
  let suspect = false;
  let backslash = text.indexOf('\\');
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // A string: its end is the first quote not escaped; escapes are looked at only where there are any.
      let from = i + 1;
      for (;;) {
        const quote = text.indexOf('"', from);
        if (quote === -1) return { members, tooDeep: false, suspect: true };
        if (backslash !== -1 && backslash < from) backslash = text.indexOf('\\', from);
        if (backslash === -1 || backslash > quote) {
          i = quote;
          break;
        }
        if (text.charCodeAt(backslash + 1) === 0x75) {
          const h0 = text.charCodeAt(backslash + 2);
          const h1 = text.charCodeAt(backslash + 3);
          if (h0 === 0x30 && h1 === 0x30 && text.charCodeAt(backslash + 4) === 0x30 && text.charCodeAt(backslash + 5) === 0x30) {
            suspect = true;
          } else if ((h0 | 0x20) === 0x64 && ((h1 | 0x20) >= 0x61 || h1 === 0x38 || h1 === 0x39)) {
            // \uD800–\uDFFF: fine only as a high surrogate directly followed by an escaped low one.
            const high = h1 === 0x38 || h1 === 0x39 || (h1 | 0x20) === 0x61 || (h1 | 0x20) === 0x62;
            const next = backslash + 6;
            const lowDigit = text.charCodeAt(next + 3) | 0x20;
            const paired =
              high &&
              text.charCodeAt(next) === 0x5c &&
              text.charCodeAt(next + 1) === 0x75 &&
              (text.charCodeAt(next + 2) | 0x20) === 0x64 &&
              lowDigit >= 0x63 &&
              lowDigit <= 0x66;
            if (paired) {
              from = next + 6;
              backslash = text.indexOf('\\', from);
              continue;
            }
            suspect = true;
          }
        }
        // Skip the escaped character, which may be a quote.
        from = backslash + 2;
        backslash = text.indexOf('\\', from);
      }
    } else if (c === 0x3a) {
      members++;
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > MAX_BODY_DEPTH) return { members, tooDeep: true, suspect };
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    } else if (c === 0x2d || isDigit(c)) {
      // A number: more than 15 digits or an exponent may not survive the trip through a double.
      let digits = 0;
      let j = i;
      for (; j < n; j++) {
        const d = text.charCodeAt(j);
        if (isDigit(d)) digits++;
        else if (d === 0x65 || d === 0x45) suspect = true;
        else if (d !== 0x2e && d !== 0x2d && d !== 0x2b) break;
      }
      if (digits > 15) suspect = true;
      i = j - 1;
    }
  }
  return { members, tooDeep: false, suspect };
}

/** Counts the members of every object in a parsed value, and tells whether a refused key is among them. */
function countMembers(value: unknown, found: { members: number; refused: boolean }): void {
  if (typeof value !== 'object' || value === null) return;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) countMembers(value[i], found);
    return;
  }
  for (const key in value) {
    found.members++;
    if (key.length >= 9 && REFUSED_KEYS.has(key)) found.refused = true;
    countMembers((value as Record<string, unknown>)[key], found);
  }
}

/** `1.50e1` and `15` are the same decimal: sign, significant digits and exponent, without zeros at either end. */
function decimalValue(literal: string): string {
  let s = literal;
  const negative = s.charCodeAt(0) === 0x2d;
  if (negative) s = s.slice(1);
  let exponent = 0;
  const e = s.search(/[eE]/);
  if (e !== -1) {
    exponent = Number(s.slice(e + 1));
    s = s.slice(0, e);
  }
  const dot = s.indexOf('.');
  let digits = s;
  if (dot !== -1) {
    digits = s.slice(0, dot) + s.slice(dot + 1);
    exponent -= s.length - dot - 1;
  }
  digits = digits.replace(/^0+/, '');
  if (digits === '') return '0';
  const significant = digits.replace(/0+$/, '');
  exponent += digits.length - significant.length;
  return `${negative ? '-' : ''}${significant}e${exponent}`;
}

/**
 * Whether reading `literal` as a double keeps its value: the double, written as RFC 8785 writes
 * numbers (ECMAScript's shortest round trip), is the same decimal. `1.0`, `1e2` and `100` keep it;
 * `9007199254740993` (beyond 2^53) and `0.30000000000000000001` do not.
 */
export function keepsValueAsDouble(literal: string): boolean {
  const value = Number(literal);
  return Number.isFinite(value) && decimalValue(literal) === decimalValue(String(value));
}

const hasLoneSurrogate = (s: string): boolean => !(s as string & { isWellFormed(): boolean }).isWellFormed();

/**
 * The exact check, for the bodies the scan flags: a small recursive parser that names the place
 * of the first problem. It only runs on flagged text, so it favours plainness over speed.
 */
class ExactParser {
  private pos = 0;
  constructor(private readonly text: string) {}

  parse(): void {
    this.value('', 1);
    this.space();
    if (this.pos !== this.text.length) throw malformed(`unexpected text at position ${this.pos}`);
  }

  private space(): void {
    const t = this.text;
    while (this.pos < t.length) {
      const c = t.charCodeAt(this.pos);
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return;
      this.pos++;
    }
  }

  private value(path: string, depth: number): void {
    this.space();
    const c = this.text.charCodeAt(this.pos);
    if (c === 0x7b || c === 0x5b) {
      if (depth > MAX_BODY_DEPTH) {
        throw malformed(`it nests objects and arrays deeper than ${MAX_BODY_DEPTH} levels`, path === '' ? '(body)' : path);
      }
      if (c === 0x7b) this.object(path, depth);
      else this.array(path, depth);
    } else if (c === 0x22) {
      const s = this.string();
      if (s.includes('\u0000')) throw invalidField(path, 'must not contain the character U+0000');
      if (hasLoneSurrogate(s)) throw invalidField(path, 'must not contain a lone surrogate (text that is not Unicode)');
    } else if (c === 0x2d || isDigit(c)) {
      const match = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(this.text.slice(this.pos, this.pos + 400));
      if (match === null) throw malformed(`unexpected character at position ${this.pos}`);
      this.pos += match[0].length;
      if (!keepsValueAsDouble(match[0])) {
        throw invalidField(path, `the number ${match[0].slice(0, 40)} cannot be kept exactly (a double holds about 15 significant digits)`);
      }
    } else {
      const word = /^(?:true|false|null)/.exec(this.text.slice(this.pos, this.pos + 5));
      if (word === null) throw malformed(`unexpected character at position ${this.pos}`);
      this.pos += word[0].length;
    }
  }

  private string(): string {
    const start = this.pos;
    let i = start + 1;
    for (;;) {
      const c = this.text.charCodeAt(i);
      if (Number.isNaN(c)) throw malformed('unterminated string');
      if (c === 0x5c) i += 2;
      else if (c === 0x22) break;
      else i++;
    }
    this.pos = i + 1;
    try {
      return JSON.parse(this.text.slice(start, i + 1)) as string;
    } catch {
      throw malformed(`bad string at position ${start}`);
    }
  }

  private object(path: string, depth: number): void {
    this.pos++;
    this.space();
    if (this.text.charCodeAt(this.pos) === 0x7d) {
      this.pos++;
      return;
    }
    const seen = new Set<string>();
    for (;;) {
      this.space();
      if (this.text.charCodeAt(this.pos) !== 0x22) throw malformed(`expected a key at position ${this.pos}`);
      const key = this.string();
      const here = memberPath(path, key);
      if (REFUSED_KEYS.has(key)) throw malformed(`the key "${key}" is not accepted`, here);
      if (key.includes('\u0000'))
        throw invalidField(memberPath(path, key.split('\u0000').join('\\u0000')), 'a key must not contain U+0000');
      if (hasLoneSurrogate(key)) throw invalidField(here, 'a key must not contain a lone surrogate');
      if (seen.has(key)) throw malformed(`the key "${key.slice(0, 80)}" appears more than once`, here);
      seen.add(key);
      this.space();
      if (this.text.charCodeAt(this.pos) !== 0x3a) throw malformed(`expected ":" at position ${this.pos}`);
      this.pos++;
      this.value(here, depth + 1);
      this.space();
      const c = this.text.charCodeAt(this.pos++);
      if (c === 0x7d) return;
      if (c !== 0x2c) throw malformed(`expected "," or "}" at position ${this.pos - 1}`);
    }
  }

  private array(path: string, depth: number): void {
    this.pos++;
    this.space();
    if (this.text.charCodeAt(this.pos) === 0x5d) {
      this.pos++;
      return;
    }
    for (let i = 0; ; i++) {
      this.value(`${path}[${i}]`, depth + 1);
      this.space();
      const c = this.text.charCodeAt(this.pos++);
      if (c === 0x5d) return;
      if (c !== 0x2c) throw malformed(`expected "," or "]" at position ${this.pos - 1}`);
    }
  }
}

/**
 * JSON text → value, refusing what could not be stored and hashed exactly as sent: duplicate keys
 * (JSON.parse would keep the last silently), keys the pipeline drops, U+0000 (PostgreSQL cannot
 * store it), lone surrogates (RFC 8785 cannot hash them), numbers a double does not hold exactly
 * and nesting deeper than MAX_BODY_DEPTH. The common body costs one scan, JSON.parse and one walk;
 * only a flagged one is parsed again by the exact parser, which names the place.
 */
export function parseStrictJson(text: string): unknown {
  const scan = scanText(text);
  if (scan.tooDeep) {
    new ExactParser(text).parse();
    throw malformed(`it nests objects and arrays deeper than ${MAX_BODY_DEPTH} levels`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw malformed(e instanceof Error ? e.message : String(e));
  }
  const found = { members: 0, refused: false };
  countMembers(value, found);
  if (scan.suspect || found.refused || found.members !== scan.members) new ExactParser(text).parse();
  return value;
}
