/**
 * The common-body checks of append requests against the DTOs' own decorators: whatever the check
 * accepts, class-validator accepts with the same fields; what it does not decide falls through.
 */
import 'reflect-metadata';
import { getMetadataStorage } from 'class-validator';
import { EVENT_TYPES } from '../../proof/record';
import { validateDto } from '../../server/errors/validation.pipe';
import {
  acceptCommonAppend,
  acceptCommonBulkEvent,
  acceptCommonBulkRequest,
  acceptCommonCreate,
} from '../../server/orders/common-body-check';
import { CreateOrderDto, CustomerDto } from '../../server/orders/orders.dto';
import { BulkEventItemDto, BulkRequestDto, MAX_BULK_ITEMS } from '../../server/orders/bulk.dto';
import { AppendEventDto } from '../../server/orders/events.dto';

/** Every rule the decorators declare, as `property: type/name`. */
function rulesOf(target: new () => object): string[] {
  return getMetadataStorage()
    .getTargetValidationMetadatas(target, '', true, false)
    .map((m) => `${m.propertyName}: ${m.type}/${m.name ?? ''}${m.each ? ' each' : ''}${m.always ? ' always' : ''}`)
    .sort();
}

const APPEND_RULES = [
  'at: conditionalValidation/isOptional',
  'at: customValidation/isRfc3339',
  'data: conditionalValidation/isOptional',
  'data: customValidation/isEventFields',
  'data: customValidation/reservedFieldName',
  'sealed: conditionalValidation/isOptional',
  'sealed: customValidation/isEventFields',
  'sealed: customValidation/reservedFieldName',
  'type: customValidation/isIn',
];

const BULK_EVENT_RULES = [
  ...APPEND_RULES,
  'order: conditionalValidation/isOptional',
  'order: customValidation/isLength',
  'order: customValidation/isString',
  'reference: conditionalValidation/isOptional',
  'reference: customValidation/isLength',
  'reference: customValidation/isString',
  'reference: customValidation/matches',
].sort();

const BULK_REQUEST_RULES = [
  'items: customValidation/arrayMaxSize',
  'items: customValidation/arrayMinSize',
  'items: customValidation/isArray',
];

const CREATE_RULES = [
  'at: conditionalValidation/isOptional',
  'at: customValidation/isRfc3339',
  'customer: conditionalValidation/isOptional',
  'customer: nestedValidation/',
  'data: conditionalValidation/isOptional',
  'data: customValidation/isEventFields',
  'data: customValidation/reservedFieldName',
  'lineItems: conditionalValidation/isOptional',
  'lineItems: customValidation/arrayMaxSize',
  'lineItems: customValidation/arrayMinSize',
  'lineItems: customValidation/isArray',
  'lineItems: nestedValidation/ each',
  'reference: customValidation/isLength',
  'reference: customValidation/isString',
  'reference: customValidation/matches',
  'sealed: conditionalValidation/isOptional',
  'sealed: customValidation/isEventFields',
  'sealed: customValidation/reservedFieldName',
  'shippingAddress: conditionalValidation/isOptional',
  'shippingAddress: nestedValidation/',
];

const CUSTOMER_RULES = [
  'email: conditionalValidation/isOptional',
  'email: customValidation/isEmail',
  'email: customValidation/isLength',
  'name: conditionalValidation/isOptional',
  'name: customValidation/isLength',
  'name: customValidation/isString',
  'name: customValidation/matches',
  'phone: conditionalValidation/isOptional',
  'phone: customValidation/isString',
  'phone: customValidation/matches',
];

/** A small deterministic generator, so that a failure names a case that can be run again. */
function generator(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return x / 2 ** 31;
  };
}

const ODD_VALUES: unknown[] = [
  null,
  0,
  -1.5,
  true,
  '',
  ' ',
  'x'.repeat(201),
  'a\u202eb',
  'line\nbreak',
  [],
  ['paid'],
  {},
  { 'ordertrace:source': 'x' },
  { '1bad': 1 },
  { ok: 'fine', nested: { deep: [1, 2, { x: null }] } },
  { ['a'.repeat(65)]: 1 },
  Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`f${i}`, i])),
  '2026-02-30T00:00:00Z',
  '2026-11-29T10:00:00+08:00',
  '2026-11-29T24:00:00Z',
  '2026-11-29T10:00:00',
  'ord_01KB0000000000000000000001',
  'SO-1',
  'in_transit',
  'teleported',
];

function mutations(random: () => number, base: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const body: Record<string, unknown> = { ...base };
  const changes = 1 + Math.floor(random() * 3);
  for (let i = 0; i < changes; i++) {
    const roll = random();
    if (roll < 0.1) body[`extra${i}`] = 1;
    else if (roll < 0.25) delete body[keys[Math.floor(random() * keys.length)]];
    else body[keys[Math.floor(random() * keys.length)]] = ODD_VALUES[Math.floor(random() * ODD_VALUES.length)];
  }
  return body;
}

function agree<T extends object>(dto: new () => T, accept: (body: unknown) => T | null, bodies: unknown[]): { accepted: number } {
  let accepted = 0;
  for (const body of bodies) {
    const fast = accept(body);
    const full = validateDto(dto, body, 'body');
    if (fast === null) continue;
    accepted += 1;
    // Accepted here means accepted by the decorators, with the very same fields.
    expect({ body, full }).toEqual({ body, full: expect.any(dto) });
    expect({ body, fields: { ...fast } }).toEqual({ body, fields: { ...(full as T) } });
    expect(fast).toBeInstanceOf(dto);
  }
  return { accepted };
}

describe('common append bodies, checked without the decorators', () => {
  it('knows every rule the DTOs declare (a new rule must be added to common-body-check.ts too)', () => {
    expect(rulesOf(AppendEventDto)).toEqual(APPEND_RULES);
    expect(rulesOf(BulkEventItemDto)).toEqual(BULK_EVENT_RULES);
    expect(rulesOf(BulkRequestDto)).toEqual(BULK_REQUEST_RULES);
    expect(rulesOf(CreateOrderDto)).toEqual(CREATE_RULES);
    expect(rulesOf(CustomerDto)).toEqual(CUSTOMER_RULES);
  });

  it('accepts only what class-validator accepts, with the same fields, over generated bodies', () => {
    const random = generator(20261129);
    const base = { type: 'in_transit', at: '2026-11-29T10:15:00.000Z', data: { carrier: 'DHL', scan: 7 }, sealed: { note: 'x' } };
    const appendBodies = [
      ...EVENT_TYPES.map((type) => ({ type })),
      ...Array.from({ length: 1500 }, () => mutations(random, base, ['type', 'at', 'data', 'sealed'])),
    ];
    const appends = agree(AppendEventDto, acceptCommonAppend, appendBodies);
    const bulkBase = { ...base, order: 'ord_01KB0000000000000000000001' };
    const bulkBodies = Array.from({ length: 3000 }, () =>
      mutations(random, random() < 0.5 ? bulkBase : { ...base, reference: 'SO-1' }, ['type', 'at', 'data', 'sealed', 'order', 'reference']),
    );
    const bulk = agree(BulkEventItemDto, acceptCommonBulkEvent, bulkBodies);
    const createBase = {
      reference: 'SO-1',
      at: '2026-11-29T10:15:00+08:00',
      data: { channel: 'web' },
      customer: { name: 'Jane Doe', phone: '+49 30 1234567' },
    };
    const customers: unknown[] = [
      undefined,
      null,
      {},
      { name: 'Jane' },
      { name: '' },
      { name: 'a\u202eb' },
      { phone: '12' },
      { phone: '+86 (10) 1234-5678' },
      { phone: 'call me' },
      { email: 'jane@example.com' },
      { name: 'Jane', extra: 1 },
      [],
      'Jane',
    ];
    const createBodies = Array.from({ length: 1500 }, () => {
      const body = mutations(random, createBase, ['reference', 'at', 'data', 'sealed', 'customer']);
      if (random() < 0.3) body.customer = customers[Math.floor(random() * customers.length)];
      if (random() < 0.05) body.lineItems = [{ sku: 'A', quantity: 1 }];
      return body;
    });
    const creates = agree(CreateOrderDto, acceptCommonCreate, createBodies);
    const item = { event: bulkBase };
    const requestBodies: unknown[] = [
      ...ODD_VALUES,
      ...ODD_VALUES.map((items) => ({ items })),
      ...ODD_VALUES.map((odd) => ({ items: [item, odd] })),
      { items: [item], extra: 1 },
      { items: Array.from({ length: MAX_BULK_ITEMS }, () => item) },
      { items: Array.from({ length: MAX_BULK_ITEMS + 1 }, () => item) },
      ...Array.from({ length: 50 }, (_, n) => ({ items: Array.from({ length: n + 1 }, () => item) })),
    ];
    const requests = agree(BulkRequestDto, acceptCommonBulkRequest, requestBodies);
    expect(requests.accepted).toBeGreaterThan(50);
    expect(creates.accepted).toBeGreaterThan(100);
    // The check must take the common case, or it saves nothing.
    expect(appends.accepted).toBeGreaterThan(100);
    expect(bulk.accepted).toBeGreaterThan(100);
  });

  it('leaves every refusal to the decorators, so that the problem names the field', () => {
    for (const body of [
      { type: 'teleported' },
      { type: 'paid', extra: 1 },
      { type: 'paid', at: '2026-02-30T00:00:00Z' },
      { type: 'paid', data: { 'ordertrace:source': 'x' } },
      [],
      'paid',
    ]) {
      expect(acceptCommonAppend(body)).toBeNull();
      expect(validateDto(AppendEventDto, body, 'body')).not.toBeInstanceOf(AppendEventDto);
    }
    // A null is for the decorators to judge (IsOptional lets it through), not for the check.
    expect(acceptCommonAppend({ type: 'paid', data: null })).toBeNull();
    expect(validateDto(AppendEventDto, { type: 'paid', data: null }, 'body')).toBeInstanceOf(AppendEventDto);
    expect(acceptCommonBulkEvent({ type: 'paid', reference: 'a\u202eb' })).toBeNull();
    expect(acceptCommonBulkEvent({ type: 'paid', order: 'x'.repeat(201) })).toBeNull();
  });
});
