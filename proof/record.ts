import { type Hex, isHex32 } from './bytes';
import { canonicalJson, type JsonValue } from './canonical';
import { ProofError } from './errors';

/**
 * Lifecycle event types of DESIGN.md, in the order an order usually lives them, then the consumer's
 * change requests and the brand's answers (proof spec v1.1: added to the same record version).
 */
export const EVENT_TYPES = [
  'created',
  'paid',
  'allocated',
  'packed',
  'shipped',
  'in_transit',
  'out_for_delivery',
  'delivered',
  'received',
  'address_changed',
  'cancelled',
  'return_requested',
  'returned',
  'refunded',
  'change_requested',
  'hold_confirmed',
  'change_declined',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** The event types of proof spec v1.0; v1.1 added the change requests and their answers. */
export const EVENT_TYPES_V1_0: readonly EventType[] = EVENT_TYPES.slice(0, EVENT_TYPES.indexOf('change_requested'));

/** What a consumer asks to change before shipping (`change_requested` data `request`). */
export const CHANGE_REQUEST_KINDS = ['address', 'hold'] as const;
export type ChangeRequestKind = (typeof CHANGE_REQUEST_KINDS)[number];

/**
 * The `data` key of a change request naming its kind, and of an answer (`address_changed`,
 * `hold_confirmed`, `change_declined`) naming the seq of the request it answers.
 */
export const REQUEST_DATA_KEY = 'request';

/** The sealed field of an address change request holding the new address. */
export const REQUESTED_ADDRESS_FIELD = 'address';

/** The hashed event record of proof spec v1: exactly these ten keys. */
export interface EventRecord {
  v: 1;
  brand: string;
  order: string;
  seq: number;
  type: EventType;
  at: string;
  recorded: string;
  data: { [key: string]: JsonValue };
  sealed: { [name: string]: Hex };
  prev: Hex;
}

export const RECORD_KEYS = ['v', 'brand', 'order', 'seq', 'type', 'at', 'recorded', 'data', 'sealed', 'prev'] as const;

const TIMESTAMP_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** RFC 3339 UTC with exactly three fraction digits, as every record time is written. */
export function toRfc3339Millis(date: Date): string {
  return date.toISOString();
}

export function isRfc3339Millis(x: unknown): x is string {
  if (typeof x !== 'string' || !TIMESTAMP_RE.test(x)) return false;
  const d = new Date(x);
  return !Number.isNaN(d.getTime()) && d.toISOString() === x;
}

/** A JSON object as parsed: not an array, a class instance or anything with another prototype. */
export function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return false;
  const proto = Object.getPrototypeOf(x) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * Checks that `x` is a well-formed v1 event record (attacker-controlled input in bundles).
 * Throws `ProofError('INVALID_RECORD')` naming the first bad field.
 */
export function assertEventRecord(x: unknown, path = 'record'): asserts x is EventRecord {
  const bad = (field: string, what: string): never => {
    throw new ProofError('INVALID_RECORD', `${path}.${field} ${what}`, { field: `${path}.${field}` });
  };
  if (!isPlainObject(x)) throw new ProofError('INVALID_RECORD', `${path} must be an object`, { field: path });
  const keys = Object.keys(x);
  for (const key of keys) if (!(RECORD_KEYS as readonly string[]).includes(key)) bad(key, 'is not a record key');
  for (const key of RECORD_KEYS) if (!(key in x)) bad(key, 'is missing');
  if (x.v !== 1) bad('v', 'must be 1');
  if (typeof x.brand !== 'string' || x.brand.length === 0 || x.brand.length > 200) bad('brand', 'must be a non-empty string');
  if (typeof x.order !== 'string' || x.order.length === 0 || x.order.length > 200) bad('order', 'must be a non-empty string');
  if (typeof x.seq !== 'number' || !Number.isSafeInteger(x.seq) || x.seq < 1) bad('seq', 'must be an integer >= 1');
  if (typeof x.type !== 'string' || !(EVENT_TYPES as readonly string[]).includes(x.type)) bad('type', 'is not a known event type');
  if (!isRfc3339Millis(x.at)) bad('at', 'must be an RFC 3339 UTC time with milliseconds');
  if (!isRfc3339Millis(x.recorded)) bad('recorded', 'must be an RFC 3339 UTC time with milliseconds');
  if (!isPlainObject(x.data)) bad('data', 'must be an object');
  try {
    canonicalJson(x.data);
  } catch (e) {
    bad('data', e instanceof Error ? `is not canonical JSON (${e.message})` : 'is not canonical JSON');
  }
  if (!isPlainObject(x.sealed)) bad('sealed', 'must be an object');
  for (const [name, value] of Object.entries(x.sealed as Record<string, unknown>)) {
    if (!isHex32(value)) bad(`sealed.${name}`, 'must be a 32-byte lowercase hex commitment');
  }
  if (!isHex32(x.prev)) bad('prev', 'must be a 32-byte lowercase hex hash');
}

/**
 * `data` keys beginning with this are written by ordertrace itself, never by a brand: the server
 * refuses them in brand input, so a record holding one was written by the server.
 */
export const RESERVED_DATA_PREFIX = 'ordertrace:';

/** The `data` key naming who recorded an event: `api:<key id>`, `consumer` or `operator`. */
export const SOURCE_DATA_KEY = 'ordertrace:source';

/** Who recorded an event, as its record states it (records made before sources were written state none). */
export type RecordSource =
  | { kind: 'api-key'; keyId: string }
  | { kind: 'consumer' }
  | { kind: 'operator' }
  /** A value this verifier does not know: shown as it is, never a failure. */
  | { kind: 'unknown'; value: string }
  | { kind: 'not-stated' };

/** The `ordertrace:source` value of an event written through the API key `keyId` (its id, never its secret). */
export function apiKeySource(keyId: string): string {
  return `api:${keyId}`;
}

export function isReservedDataKey(key: string): boolean {
  return key.startsWith(RESERVED_DATA_PREFIX);
}

/** Reads `data["ordertrace:source"]`; any other shape is `unknown`, never an error. */
export function recordSource(data: unknown): RecordSource {
  if (typeof data !== 'object' || data === null || !Object.prototype.hasOwnProperty.call(data, SOURCE_DATA_KEY)) {
    return { kind: 'not-stated' };
  }
  const value = (data as Record<string, unknown>)[SOURCE_DATA_KEY];
  if (value === 'consumer') return { kind: 'consumer' };
  if (value === 'operator') return { kind: 'operator' };
  if (typeof value === 'string' && value.startsWith('api:') && value.length > 4) return { kind: 'api-key', keyId: value.slice(4) };
  return { kind: 'unknown', value: typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value)) };
}
