import { createHash } from 'node:crypto';
import { canonicalGs1Identifier } from './gs1-digital-link';

/**
 * The EPCIS Event Hash ID of CBV 2.0 (§8.9): a canonical "pre-hash" string of an event's content —
 * fields in the standard's order, times in UTC with milliseconds, identifiers as GS1 Digital Link
 * URIs, vocabulary as web URIs, user extensions as `{namespace}name=value`, sorted — hashed with
 * SHA-256 as `ni:///sha-256;<hex>?ver=CBV2.0`. The event's own `eventID`, `recordTime` and
 * `errorDeclaration` never take part; callers may leave out further keys (ordertrace leaves out its
 * own extension, so that an event's id does not change when it is anchored).
 *
 * Scope: ObjectEvents with the fields supply-chain order events use (EPC and quantity lists,
 * action, bizStep, disposition, persistent disposition, read point, business location, business
 * transactions, sources, destinations, user extensions). Sensor data is hashed generically and may
 * differ from the reference generators.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** JSON-LD prefixes of the document's `@context`: `{"example": "https://ns.example.com/epcis/"}`. */
export type NamespacePrefixes = Readonly<Record<string, string>>;

const CBV = 'https://ref.gs1.org/cbv/';
const LEGACY_VOCABULARY: readonly [string, string][] = [
  ['urn:epcglobal:cbv:bizstep:', `${CBV}BizStep-`],
  ['urn:epcglobal:cbv:disp:', `${CBV}Disp-`],
  ['urn:epcglobal:cbv:btt:', `${CBV}BTT-`],
  ['urn:epcglobal:cbv:sdt:', `${CBV}SDT-`],
  ['urn:epcglobal:cbv:er:', `${CBV}ER-`],
];
/** Never part of the hash. */
const IGNORED = new Set(['type', 'eventID', 'recordTime', 'errorDeclaration', '@context', '#text', 'rdfs:comment', 'comment']);
/** The ordered part of the pre-hash: top-level fields whose place CBV 2.0 fixes. */
const ORDERED_FIELDS = [
  'eventTime',
  'eventTimeZoneOffset',
  'certificationInfo',
  'parentID',
  'epcList',
  'inputEPCList',
  'childEPCs',
  'quantityList',
  'childQuantityList',
  'inputQuantityList',
  'outputEPCList',
  'outputQuantityList',
  'action',
  'transformationID',
  'bizStep',
  'disposition',
  'persistentDisposition',
  'readPoint',
  'bizLocation',
] as const;
const EPC_LISTS = new Set(['epcList', 'inputEPCList', 'childEPCs', 'outputEPCList']);
const QUANTITY_LISTS = new Set(['quantityList', 'childQuantityList', 'inputQuantityList', 'outputQuantityList']);
/** Lists whose entries keep their order and are written as `type=…` then the value. */
const TYPED_LISTS: Readonly<Record<string, { value: string; vocabulary: string }>> = {
  bizTransactionList: { value: 'bizTransaction', vocabulary: `${CBV}BTT-` },
  sourceList: { value: 'source', vocabulary: `${CBV}SDT-` },
  destinationList: { value: 'destination', vocabulary: `${CBV}SDT-` },
};
const BARE_WORD = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Python's `str()` of a JSON scalar, as the reference generators see values. */
function scalarText(value: Json): string {
  if (value === null) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number' || typeof value === 'string') return String(value);
  // Objects and lists where a scalar belongs have no text of their own.
  return '';
}

/** Leading zeros, a trailing `.0`, a leading `+` go: numbers compare by value. Other text is left alone. */
function canonicalNumber(text: string): string {
  if (!/^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(text)) return text;
  const n = Number(text);
  if (!Number.isFinite(n)) return text;
  if (Number.isInteger(n)) return BigInt(n).toString();
  return String(n);
}

function canonicalValue(text: string): string {
  let out = text;
  for (const [legacy, web] of LEGACY_VOCABULARY) out = out.split(legacy).join(web);
  out = canonicalNumber(out);
  return canonicalGs1Identifier(out) ?? out;
}

/** `2020-03-04T11:00:30.9995+01:00` → `2020-03-04T10:00:31.000Z` (fractions rounded half to even, as the reference does). */
export function canonicalTime(text: string): string {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/i.exec(text.trim());
  if (m === null) return text;
  const [, wholeSeconds, fraction = '', zone] = m;
  const micros = Number((fraction + '000000').slice(0, 6));
  let millis = Math.floor(micros / 1000);
  const rest = micros % 1000;
  if (rest > 500 || (rest === 500 && millis % 2 === 1)) millis += 1;
  const base = Date.parse(`${wholeSeconds}${zone.toUpperCase() === 'Z' ? 'Z' : zone}`);
  if (Number.isNaN(base)) return text;
  return new Date(base + millis).toISOString();
}

export class EpcisHasher {
  constructor(private readonly prefixes: NamespacePrefixes) {}

  /** `prefix:name` with a known prefix as `{namespace}name`. */
  private key(name: string): string {
    const at = name.indexOf(':');
    if (at > 0) {
      const ns = this.prefixes[name.slice(0, at)];
      if (ns !== undefined) return `{${ns}}${name.slice(at + 1)}`;
    }
    return name;
  }

  /** A value naming something in a known namespace (`gs1:…`) as the full IRI. */
  private value(value: Json): string {
    const text = scalarText(value).trim();
    const at = text.indexOf(':');
    if (at > 0) {
      const ns = this.prefixes[text.slice(0, at)];
      if (ns !== undefined) return ns + text.slice(at + 1);
    }
    return text;
  }

  private vocabulary(value: Json, base: string): string {
    const text = this.value(value);
    return BARE_WORD.test(text) ? base + text : text;
  }

  /** The pre-hash string of one event (a JSON-LD event object). */
  preHash(event: JsonObject, excludeKey: (key: string) => boolean = () => false): string {
    const parts = [`eventType=${scalarText(event.type ?? '')}`];
    for (const field of ORDERED_FIELDS) {
      if (!(field in event)) continue;
      const text = this.orderedField(field, event[field]);
      if (text !== '') parts.push(text);
    }
    const ordered = new Set<string>(ORDERED_FIELDS);
    const rest: string[] = [];
    for (const [key, value] of Object.entries(event)) {
      if (ordered.has(key) || IGNORED.has(key) || excludeKey(key)) continue;
      rest.push(...this.generic(key, value));
    }
    rest.sort(compareCodeUnits);
    return parts.join('') + rest.join('');
  }

  /** `ni:///sha-256;…?ver=CBV2.0` of the event. */
  hashId(event: JsonObject, excludeKey?: (key: string) => boolean): string {
    return `ni:///sha-256;${createHash('sha256').update(this.preHash(event, excludeKey), 'utf8').digest('hex')}?ver=CBV2.0`;
  }

  private orderedField(field: (typeof ORDERED_FIELDS)[number], value: Json): string {
    if (EPC_LISTS.has(field)) {
      const epcs = (Array.isArray(value) ? value : [value]).map((epc) => `epc=${canonicalValue(this.value(epc))}`).sort(compareCodeUnits);
      return epcs.length === 0 ? '' : field + epcs.join('');
    }
    if (QUANTITY_LISTS.has(field)) {
      const elements = (Array.isArray(value) ? value : [value]).map((q) => {
        const element = (q ?? {}) as JsonObject;
        const inner = ['epcClass', 'quantity', 'uom']
          .filter((k) => element[k] !== undefined && element[k] !== null)
          .map((k) => `${k}=${canonicalValue(this.value(element[k]))}`)
          .join('');
        return inner === '' ? '' : `quantityElement${inner}`;
      });
      const kept = elements.filter((e) => e !== '').sort(compareCodeUnits);
      return kept.length === 0 ? '' : field + kept.join('');
    }
    if (field === 'bizStep') return `bizStep=${canonicalValue(this.vocabulary(value, `${CBV}BizStep-`))}`;
    if (field === 'disposition') return `disposition=${canonicalValue(this.vocabulary(value, `${CBV}Disp-`))}`;
    if (field === 'persistentDisposition') {
      const pd = (value ?? {}) as JsonObject;
      const inner = (['set', 'unset'] as const).map((k) => {
        const list = pd[k] === undefined ? [] : Array.isArray(pd[k]) ? pd[k] : [pd[k]];
        return list
          .map((d) => `${k}=${canonicalValue(this.vocabulary(d, `${CBV}Disp-`))}`)
          .sort(compareCodeUnits)
          .join('');
      });
      return inner.join('') === '' ? '' : field + inner.join('');
    }
    if (field === 'readPoint' || field === 'bizLocation') {
      const place = (value ?? {}) as JsonObject;
      const id = place.id === undefined ? '' : `id=${canonicalValue(this.value(place.id))}`;
      const extensions = Object.entries(place)
        .filter(([k]) => k !== 'id' && !IGNORED.has(k))
        .flatMap(([k, v]) => this.generic(k, v))
        .sort(compareCodeUnits);
      const inner = id + extensions.join('');
      return inner === '' ? '' : field + inner;
    }
    if (field === 'eventTime') return `eventTime=${canonicalTime(scalarText(value))}`;
    const text = scalarText(value).trim();
    return text === '' ? '' : `${field}=${field === 'eventTimeZoneOffset' ? text : canonicalValue(this.value(value))}`;
  }

  /** Fields outside the fixed order: business transactions, sources, destinations and user extensions. */
  private generic(key: string, value: Json): string[] {
    const typed = TYPED_LISTS[key];
    if (typed !== undefined) {
      const entries = (Array.isArray(value) ? value : [value]).map((entry) => {
        const e = (entry ?? {}) as JsonObject;
        const type = e.type === undefined ? '' : `type=${canonicalValue(this.vocabulary(e.type, typed.vocabulary))}`;
        const v = e[typed.value] === undefined ? '' : `${typed.value}=${canonicalValue(this.value(e[typed.value]))}`;
        return type + v;
      });
      return [key + entries.join('')];
    }
    const name = this.key(key);
    if (Array.isArray(value)) return value.flatMap((element) => this.generic(key, element));
    if (value !== null && typeof value === 'object') {
      const children = Object.entries(value)
        .filter(([k]) => !IGNORED.has(k) || k === 'type')
        .flatMap(([k, v]) => this.generic(k, v))
        .sort(compareCodeUnits);
      return [name + children.join('')];
    }
    const text = this.value(value);
    if (text === '') return [name];
    const isTime = /time/i.test(key) && !/offset/i.test(key);
    return [`${name}=${isTime ? canonicalTime(text) : canonicalValue(text)}`];
  }
}

/** Python's default string order (by code point; the same as by UTF-16 unit outside astral planes). */
function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The JSON-LD prefixes an EPCIS document's `@context` declares (string entries name remote contexts, not prefixes). */
export function namespacePrefixes(context: unknown): Record<string, string> {
  const prefixes: Record<string, string> = {};
  for (const entry of Array.isArray(context) ? context : [context]) {
    if (entry === null || typeof entry !== 'object') continue;
    for (const [prefix, iri] of Object.entries(entry as Record<string, unknown>)) if (typeof iri === 'string') prefixes[prefix] = iri;
  }
  return prefixes;
}
