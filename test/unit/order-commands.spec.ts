/**
 * The write planner's decisions, without a database: how a group of commands is checked against
 * the lifecycle and chained, and how batch positions are handed out.
 */
import { randomBytes } from 'node:crypto';
import { leafHashOfCanonical, GENESIS_PREV } from '../../proof/hashes';
import { type AppendEventCommand, GroupPlanner, type OrderCommand } from '../../server/orders/order-commands';
import { HEAD_BRAND, lockedHead, testCipher } from '../support/order-heads';

const cipher = testCipher();
const ACME = HEAD_BRAND;
const OTHER = { id: '00000000-0000-4000-8000-000000000002', slug: 'other' };

const append = (
  type: AppendEventCommand['type'],
  target: { orderId: string } | { reference: string },
  brandId: string | null = ACME.id,
): OrderCommand => ({
  kind: 'append',
  brandId,
  source: 'api:key-1',
  target,
  type,
  data: {},
  sealed: {},
});

describe(GroupPlanner.name, () => {
  it('applies commands all or nothing with applyAll: a failing command undoes the ones before it, and later commands see the old heads', () => {
    const head = lockedHead();
    const before = { ...head };
    const planner = new GroupPlanner([head], cipher);
    const create: OrderCommand = { kind: 'create', brand: ACME, source: 'api:key-1', reference: 'SO-NEW', data: {}, sealed: {} };
    // packed is fine, delivered is not (packed → shipped first): neither stays, nor the new order.
    const outcomes = planner.applyAll([create, append('packed', { orderId: head.id }), append('delivered', { orderId: head.id })]);
    expect(outcomes.map((o) => o.ok)).toEqual([true, true, false]);
    expect(planner.writes()).toEqual({ newOrders: [], changedHeads: [], events: [] });
    expect(head).toEqual(before);
    // The reference is free again, and the order continues from its locked head.
    const next = planner.applyAll([create, append('packed', { orderId: head.id })]);
    expect(next.every((o) => o.ok)).toBe(true);
    expect(next[1].ok && next[1].record).toMatchObject({ seq: 3, prev: before.lastLeaf });
    expect(planner.writes().events).toHaveLength(2);
  });

  it('chains several events of one order in the order given', () => {
    const head = lockedHead();
    const previousLeaf = head.lastLeaf;
    const planner = new GroupPlanner([head], cipher);
    const outcomes = [append('packed', { orderId: head.id }), append('shipped', { orderId: head.id })].map((c) => planner.apply(c));
    expect(outcomes.map((o) => o.ok && o.record.seq)).toEqual([3, 4]);
    const [first, second] = outcomes.map((o) => (o.ok ? o : null)!);
    expect(first.record.prev).toBe(previousLeaf);
    expect(second.record.prev).toBe(first.event.built.row.leaf);
    expect(second.event.built.row.leaf).toBe(leafHashOfCanonical(second.event.built.row.record));
    const writes = planner.writes();
    expect(writes.events).toHaveLength(2);
    expect(writes.changedHeads).toEqual([
      expect.objectContaining({ id: head.id, lastSeq: 4, status: 'shipped', lastLeaf: second.event.built.row.leaf }),
    ]);
    expect(writes.newOrders).toEqual([]);
  });

  it('fails only the command whose transition is illegal, leaving the head as it was', () => {
    const head = lockedHead();
    const planner = new GroupPlanner([head], cipher);
    const bad = planner.apply(append('delivered', { orderId: head.id }));
    expect(bad).toMatchObject({ ok: false, error: { code: 'ILLEGAL_TRANSITION', extensions: { currentState: 'paid' } } });
    const good = planner.apply(append('packed', { orderId: head.id }));
    expect(good.ok && good.record.seq).toBe(3);
    expect(planner.writes().events).toHaveLength(1);
  });

  it('creates an order and appends to it in the same group, by reference', () => {
    const planner = new GroupPlanner([], cipher);
    const created = planner.apply({
      kind: 'create',
      brand: ACME,
      source: 'api:key-1',
      reference: 'SO-9',
      data: { channel: 'web' },
      sealed: { name: 'Ada' },
    });
    const paid = planner.apply(append('paid', { reference: 'SO-9' }));
    expect(created.ok && created.record).toMatchObject({ seq: 1, type: 'created', prev: GENESIS_PREV, brand: 'acme' });
    expect(paid.ok && paid.record).toMatchObject({ seq: 2, type: 'paid', order: created.ok ? created.head.id : '' });
    // The create outcome keeps the order as it was created.
    expect(created.ok && created.head.lastSeq).toBe(1);
    const writes = planner.writes();
    expect(writes.newOrders).toEqual([expect.objectContaining({ reference: 'SO-9', lastSeq: 2, status: 'paid' })]);
    expect(writes.changedHeads).toEqual([]);
  });

  it('refuses a reference the brand already has, in the database or earlier in the group', () => {
    const planner = new GroupPlanner([lockedHead()], cipher);
    expect(planner.apply({ kind: 'create', brand: ACME, source: 'api:key-1', reference: 'SO-1', data: {}, sealed: {} })).toMatchObject({
      ok: false,
      error: { code: 'ORDER_REFERENCE_TAKEN' },
    });
    expect(planner.apply({ kind: 'create', brand: ACME, source: 'api:key-1', reference: 'SO-2', data: {}, sealed: {} }).ok).toBe(true);
    expect(planner.apply({ kind: 'create', brand: ACME, source: 'api:key-1', reference: 'SO-2', data: {}, sealed: {} }).ok).toBe(false);
    // Another brand may use the same reference.
    expect(planner.apply({ kind: 'create', brand: OTHER, source: 'api:key-2', reference: 'SO-1', data: {}, sealed: {} }).ok).toBe(true);
  });

  it("does not find another brand's order, but the service's own writes find any", () => {
    const head = lockedHead();
    const planner = new GroupPlanner([head], cipher);
    expect(planner.apply(append('packed', { orderId: head.id }, OTHER.id))).toMatchObject({
      ok: false,
      error: { code: 'ORDER_NOT_FOUND' },
    });
    expect(planner.apply(append('packed', { reference: 'SO-1' }, OTHER.id))).toMatchObject({
      ok: false,
      error: { code: 'ORDER_NOT_FOUND' },
    });
    expect(planner.apply(append('packed', { orderId: head.id }, null)).ok).toBe(true);
  });

  it('refuses a U+0000 in public data, naming the field, since PostgreSQL cannot store it', () => {
    const planner = new GroupPlanner([lockedHead()], cipher);
    const outcome = planner.apply({
      ...append('packed', { orderId: lockedHead().id }),
      data: { note: ['ok', 'a\u0000b'] },
    });
    expect(outcome).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', extensions: { errors: [{ field: 'data.note[1]' }] } } });
  });

  it('refuses an event time in the future beyond the allowed skew', () => {
    const now = new Date('2026-11-29T12:00:00Z');
    const planner = new GroupPlanner([lockedHead()], cipher, now);
    const late = planner.apply({ ...append('packed', { orderId: lockedHead().id }), at: new Date('2026-11-29T12:10:00Z') });
    expect(late).toMatchObject({ ok: false, error: { extensions: { errors: [{ field: 'at' }] } } });
    const skewed = planner.apply({
      ...append('packed', { orderId: lockedHead().id }),
      at: new Date('2026-11-29T12:01:00Z'),
    });
    expect(skewed.ok && skewed.record.at).toBe('2026-11-29T12:01:00.000Z');
  });

  it('writes who recorded each event into its hashed data, beside the fields as sent', () => {
    const planner = new GroupPlanner([], cipher);
    const created = planner.apply({
      kind: 'create',
      brand: ACME,
      source: 'api:key-1',
      reference: 'SO-8',
      data: { channel: 'web' },
      sealed: {},
    });
    const received = planner.apply({ ...append('paid', { reference: 'SO-8' }, null), source: 'consumer' });
    expect(created.ok && created.record.data).toEqual({ channel: 'web', 'ordertrace:source': 'api:key-1' });
    expect(created.ok && JSON.parse(created.event.built.row.record).data).toEqual({ channel: 'web', 'ordertrace:source': 'api:key-1' });
    // The order keeps the brand's own data.
    expect(created.ok && created.head.data).toEqual({ channel: 'web' });
    expect(received).toMatchObject({ ok: false, error: { code: 'ORDER_NOT_FOUND' } });
    const paid = planner.apply({ ...append('paid', { reference: 'SO-8' }), source: 'consumer' });
    expect(paid.ok && paid.record.data).toEqual({ 'ordertrace:source': 'consumer' });
  });

  it('refuses data that already names a source instead of replacing it', () => {
    const planner = new GroupPlanner([lockedHead()], cipher);
    const outcome = planner.apply({ ...append('packed', { orderId: lockedHead().id }), data: { 'ordertrace:source': 'consumer' } });
    expect(outcome).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED', extensions: { errors: [{ field: 'data.ordertrace:source' }] } },
    });
    expect(planner.writes().events).toHaveLength(0);
  });

  it('seals private fields as commitments whose values only the cipher holds', () => {
    const planner = new GroupPlanner([], cipher);
    const created = planner.apply({
      kind: 'create',
      brand: ACME,
      source: 'api:key-1',
      reference: 'SO-7',
      data: {},
      sealed: { phone: '+49 30 1234567' },
    });
    if (!created.ok) throw created.error;
    const row = created.event.built.row;
    expect(row.record).not.toContain('1234567');
    const head = planner.writes().newOrders[0];
    const orderKey = cipher.unwrapOrderKey(row.orderId, head.wrappedKey!);
    const secrets = cipher.decrypt(row.sealedPrivate!, orderKey, row.orderId, row.seq);
    expect(secrets.phone.value).toBe('+49 30 1234567');
    // Another order's key, or none (erased), opens nothing.
    expect(() => cipher.decrypt(row.sealedPrivate!, randomBytes(32), row.orderId, row.seq)).toThrow();
    expect(() => cipher.decrypt(row.sealedPrivate!, null, row.orderId, row.seq)).toThrow(/order's key/);
  });

  it('gives a new order a key only with private fields: one without gets it with its first private field', () => {
    const planner = new GroupPlanner([], cipher);
    const plain = planner.apply({ kind: 'create', brand: ACME, source: 'api:key-1', reference: 'SO-PLAIN', data: {}, sealed: {} });
    const sealed = planner.apply({ kind: 'create', brand: ACME, source: 'api:key-1', reference: 'SO-SEALED', data: {}, sealed: { a: 1 } });
    if (!plain.ok || !sealed.ok) throw new Error('creates failed');
    expect(plain.head.wrappedKey).toBeNull();
    expect(sealed.head.wrappedKey).not.toBeNull();
    const later = planner.apply({ ...append('paid', { reference: 'SO-PLAIN' }), sealed: { note: 'x' } });
    if (!later.ok) throw later.error;
    const head = planner.writes().newOrders.find((h) => h.reference === 'SO-PLAIN')!;
    const key = cipher.unwrapOrderKey(head.id, head.wrappedKey!);
    expect(cipher.decrypt(later.event.built.row.sealedPrivate!, key, head.id, 2).note.value).toBe('x');
  });

  it('gives an order stored before per-order keys a key when it first takes private fields, and refuses them once erased', () => {
    const planner = new GroupPlanner(
      [lockedHead(), lockedHead({ id: 'ord_00000000000000000000000002', reference: 'SO-2', erasedAt: new Date() })],
      cipher,
    );
    const appended = planner.apply({
      kind: 'append',
      brandId: ACME.id,
      source: 'api:key-1',
      target: { reference: 'SO-1' },
      type: 'address_changed',
      data: {},
      sealed: { a: 1 },
    });
    if (!appended.ok) throw appended.error;
    const changed = planner.writes().changedHeads.find((h) => h.id === 'ord_00000000000000000000000001')!;
    expect(changed.keyAdded).toBe(true);
    const key = cipher.unwrapOrderKey(changed.id, changed.wrappedKey!);
    expect(cipher.decrypt(appended.event.built.row.sealedPrivate!, key, changed.id, 3).a.value).toBe(1);
    const refused = planner.apply({
      kind: 'append',
      brandId: ACME.id,
      source: 'api:key-1',
      target: { reference: 'SO-2' },
      type: 'address_changed',
      data: {},
      sealed: { a: 1 },
    });
    expect(!refused.ok && refused.error.code).toBe('ORDER_ERASED');
    const plain = planner.apply({
      kind: 'append',
      brandId: ACME.id,
      source: 'api:key-1',
      target: { reference: 'SO-2' },
      type: 'packed',
      data: {},
      sealed: {},
    });
    expect(plain.ok).toBe(true);
  });
});
