import { EVENT_TYPES, isPlainObject } from '../../proof/record';
import { DISPLAY_TEXT } from '../http/display-text';
import { BulkEventItemDto, BulkRequestDto, MAX_BULK_ITEMS } from './bulk.dto';
import { areAcceptedEventFields, parseRfc3339 } from './event-fields.validation';
import { AppendEventDto } from './events.dto';
import { CreateOrderDto, CustomerDto } from './orders.dto';

/*
 * The append and create bodies nearly every write carries, accepted without class-transformer and
 * class-validator, whose per-object cost is most of what the service spends on a bulk item. The
 * rules are the DTOs' own, applied to the shape they expect; anything else (a rule failing, an
 * unknown key, a null, a value of another type) is not decided here but by the DTO's decorators,
 * which word the problem. test/unit/common-body-check.spec.ts holds both to the same answers and
 * fails when the DTOs gain a rule this does not know.
 */

const EVENT_TYPE_NAMES: ReadonlySet<string> = new Set(EVENT_TYPES);
const APPEND_KEYS: ReadonlySet<string> = new Set(['type', 'at', 'data', 'sealed']);
const BULK_EVENT_KEYS: ReadonlySet<string> = new Set([...APPEND_KEYS, 'order', 'reference']);
/** `@Length(1, 200)` of the order id and reference of a bulk event. */
const MAX_TARGET_LENGTH = 200;

function appendFieldsAccepted(body: Record<string, unknown>, keys: ReadonlySet<string>): boolean {
  for (const key of Object.keys(body)) if (!keys.has(key)) return false;
  const { type, at, data, sealed } = body;
  if (typeof type !== 'string' || !EVENT_TYPE_NAMES.has(type)) return false;
  if (at !== undefined && parseRfc3339(at) === null) return false;
  if (data !== undefined && !areAcceptedEventFields(data)) return false;
  if (sealed !== undefined && !areAcceptedEventFields(sealed)) return false;
  return true;
}

function isTarget(x: unknown): x is string {
  return typeof x === 'string' && x.length >= 1 && x.length <= MAX_TARGET_LENGTH;
}

/** The body of POST /v1/orders/{id}/events as its DTO when it has the common shape and passes; otherwise null. */
export function acceptCommonAppend(body: unknown): AppendEventDto | null {
  if (!isPlainObject(body) || !appendFieldsAccepted(body, APPEND_KEYS)) return null;
  return Object.assign(new AppendEventDto(), body);
}

/** An event item of POST /v1/bulk as its DTO when it has the common shape and passes; otherwise null. */
export function acceptCommonBulkEvent(item: unknown): BulkEventItemDto | null {
  if (!isPlainObject(item) || !appendFieldsAccepted(item, BULK_EVENT_KEYS)) return null;
  const { order, reference } = item;
  if (order !== undefined && !isTarget(order)) return null;
  if (reference !== undefined && !(isTarget(reference) && DISPLAY_TEXT.test(reference))) return null;
  return Object.assign(new BulkEventItemDto(), item);
}

const CREATE_KEYS: ReadonlySet<string> = new Set(['reference', 'at', 'data', 'sealed', 'customer']);
const CUSTOMER_KEYS: ReadonlySet<string> = new Set(['name', 'phone']);
/** `@Matches` of CustomerDto.phone. */
const PHONE = /^\+?[0-9 ()./-]{3,40}$/;

function isDisplayTarget(x: unknown): x is string {
  return isTarget(x) && DISPLAY_TEXT.test(x);
}

/**
 * The body of POST /v1/orders (or an order item of POST /v1/bulk) as its DTO when it has the common
 * shape: a reference, public and private fields, and a customer's name and phone. Line items, a
 * shipping address or an email are left to the decorators, as is everything that fails.
 */
export function acceptCommonCreate(body: unknown): CreateOrderDto | null {
  if (!isPlainObject(body)) return null;
  for (const key of Object.keys(body)) if (!CREATE_KEYS.has(key)) return null;
  const { reference, at, data, sealed, customer } = body;
  if (!isDisplayTarget(reference)) return null;
  if (at !== undefined && parseRfc3339(at) === null) return null;
  if (data !== undefined && !areAcceptedEventFields(data)) return null;
  if (sealed !== undefined && !areAcceptedEventFields(sealed)) return null;
  const dto = Object.assign(new CreateOrderDto(), body);
  if (customer === undefined) return dto;
  if (!isPlainObject(customer)) return null;
  for (const key of Object.keys(customer)) if (!CUSTOMER_KEYS.has(key)) return null;
  const { name, phone } = customer;
  if (name !== undefined && !isDisplayTarget(name)) return null;
  if (phone !== undefined && !(typeof phone === 'string' && PHONE.test(phone))) return null;
  dto.customer = Object.assign(new CustomerDto(), customer);
  return dto;
}

/**
 * The body of POST /v1/bulk as its DTO when it is `{"items": [...]}` with 1 to MAX_BULK_ITEMS items;
 * otherwise null. Each item is checked on its own afterwards; here class-transformer would only walk
 * every item to hand the array over unchanged.
 */
export function acceptCommonBulkRequest(body: unknown): BulkRequestDto | null {
  if (!isPlainObject(body)) return null;
  const keys = Object.keys(body);
  if (keys.length !== 1 || keys[0] !== 'items') return null;
  const { items } = body;
  if (!Array.isArray(items) || items.length < 1 || items.length > MAX_BULK_ITEMS) return null;
  return Object.assign(new BulkRequestDto(), body);
}

/** The DTOs whose common bodies the validation pipe accepts without running their decorators. */
export const COMMON_BODY_CHECKS: ReadonlyMap<abstract new () => object, (body: unknown) => object | null> = new Map<
  abstract new () => object,
  (body: unknown) => object | null
>([
  [AppendEventDto, acceptCommonAppend],
  [BulkEventItemDto, acceptCommonBulkEvent],
  [BulkRequestDto, acceptCommonBulkRequest],
  [CreateOrderDto, acceptCommonCreate],
]);
