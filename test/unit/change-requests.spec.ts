/**
 * The consumer's change requests as the write planner decides them, without a database: who may
 * ask and when, a pending hold blocking `shipped`, and answers naming their request's seq.
 */
import { assertEventRecord, EVENT_TYPES, EVENT_TYPES_V1_0 } from '../../proof/record';
import { type AppendEventCommand, GroupPlanner, type OrderCommand } from '../../server/orders/order-commands';
import { ALLOWED_NEXT, REQUEST_EVENT_TYPES, REQUESTS_OPEN_IN, transition } from '../../proof/order-lifecycle';
import { HEAD_BRAND, lockedHead, testCipher } from '../support/order-heads';
import type { JsonValue } from '../../proof/canonical';

const cipher = testCipher();
const BRAND = HEAD_BRAND.id;
const ORDER = 'ord_00000000000000000000000001';

const head = lockedHead;

function event(
  type: AppendEventCommand['type'],
  source: string,
  data: { [key: string]: JsonValue } = {},
  sealed: { [key: string]: JsonValue } = {},
): OrderCommand {
  return { kind: 'append', brandId: source === 'consumer' ? null : BRAND, source, target: { orderId: ORDER }, type, data, sealed };
}

const consumer = (request: string, sealed: { [key: string]: JsonValue } = {}) => event('change_requested', 'consumer', { request }, sealed);
const brand = (type: Parameters<typeof event>[0], data: { [key: string]: JsonValue } = {}) => event(type, 'api:key-1', data);

describe('change requests', () => {
  it('records a consumer request without changing the state, and keeps it pending on the head', () => {
    const h = head();
    const planner = new GroupPlanner([h], cipher);
    const out = planner.apply(consumer('address', { address: 'Friedrichstraße 43, Berlin' }));
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    assertEventRecord(out.record);
    expect(out.record).toMatchObject({ seq: 3, type: 'change_requested', data: { request: 'address', 'ordertrace:source': 'consumer' } });
    expect(Object.keys(out.record.sealed)).toEqual(['address']);
    expect(out.head).toMatchObject({ status: 'paid', pendingRequests: [{ seq: 3, request: 'address' }] });
    expect(planner.writes().changedHeads).toEqual([expect.objectContaining({ pendingRequests: [{ seq: 3, request: 'address' }] })]);
  });

  it('blocks shipped while a hold is pending, naming the request, until the brand confirms or declines it', () => {
    for (const answer of ['hold_confirmed', 'change_declined'] as const) {
      const planner = new GroupPlanner([head({ status: 'packed' })], cipher);
      expect(planner.apply(consumer('hold')).ok).toBe(true);
      expect(planner.apply(brand('shipped'))).toMatchObject({
        ok: false,
        error: { code: 'HOLD_PENDING', extensions: { pendingRequest: 3 } },
      });
      const answered = planner.apply(brand(answer, { request: 3, reason: 'as agreed' }));
      expect(answered.ok && answered.head.pendingRequests).toEqual([]);
      expect(planner.apply(brand('shipped'))).toMatchObject({ ok: true, record: { seq: 5, type: 'shipped' } });
    }
  });

  it('lets a pending address request ship, and takes its approval as address_changed after shipping', () => {
    const planner = new GroupPlanner([head({ status: 'packed' })], cipher);
    planner.apply(consumer('address', { address: { line1: 'Friedrichstraße 43' } }));
    expect(planner.apply(brand('shipped')).ok).toBe(true);
    const approved = planner.apply(brand('address_changed', { request: 3 }));
    expect(approved).toMatchObject({ ok: true, head: { status: 'shipped', pendingRequests: [] } });
  });

  it('refuses requests once the order is shipped or cancelled, with a reason naming the state', () => {
    for (const status of ['shipped', 'in_transit', 'delivered', 'received', 'cancelled', 'refunded'] as const) {
      const out = new GroupPlanner([head({ status })], cipher).apply(consumer('hold'));
      expect(out).toMatchObject({ ok: false, error: { code: 'CHANGE_REQUESTS_CLOSED', extensions: { currentState: status } } });
      expect(!out.ok && out.error.message).toMatch(status === 'cancelled' ? /cancelled/ : /before it is shipped/);
    }
    for (const status of REQUESTS_OPEN_IN) expect(new GroupPlanner([head({ status })], cipher).apply(consumer('hold')).ok).toBe(true);
  });

  it('takes one pending request of each kind', () => {
    const planner = new GroupPlanner([head()], cipher);
    expect(planner.apply(consumer('hold')).ok).toBe(true);
    expect(planner.apply(consumer('address', { address: 'x' })).ok).toBe(true);
    expect(planner.apply(consumer('hold'))).toMatchObject({
      ok: false,
      error: { code: 'CHANGE_REQUEST_PENDING', extensions: { pendingRequest: 3 } },
    });
  });

  it('refuses change_requested from a brand key, and a request kind it does not know', () => {
    const planner = new GroupPlanner([head()], cipher);
    expect(planner.apply(event('change_requested', 'api:key-1', { request: 'hold' }))).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED', extensions: { errors: [{ field: 'type' }] } },
    });
    expect(planner.apply(consumer('refund'))).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED', extensions: { errors: [{ field: 'data.request' }] } },
    });
  });

  it('refuses answers that name no pending request of the order, or approve the wrong kind', () => {
    const planner = new GroupPlanner([head()], cipher);
    planner.apply(consumer('hold'));
    const field = (out: ReturnType<GroupPlanner['apply']>) =>
      !out.ok ? (out.error.extensions.field ?? out.error.extensions.errors) : null;
    for (const request of ['3', 3.5, 0, null]) {
      const out = planner.apply(brand('change_declined', { request }));
      expect(out).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
      expect(field(out)).toEqual([expect.objectContaining({ field: 'data.request' })]);
    }
    expect(planner.apply(brand('change_declined'))).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    expect(planner.apply(brand('change_declined', { request: 2 }))).toMatchObject({
      ok: false,
      error: { code: 'CHANGE_REQUEST_NOT_PENDING', extensions: { field: 'data.request', pendingRequests: [3] } },
    });
    expect(planner.apply(brand('address_changed', { request: 3 }))).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED', extensions: { errors: [{ field: 'data.request' }] } },
    });
    expect(planner.apply(brand('change_declined', { request: 3 })).ok).toBe(true);
    // Answered once: a second answer names no pending request.
    expect(planner.apply(brand('hold_confirmed', { request: 3 }))).toMatchObject({
      ok: false,
      error: { code: 'CHANGE_REQUEST_NOT_PENDING' },
    });
  });

  it("keeps an address_changed without a request the brand's own change, as before requests", () => {
    const out = new GroupPlanner([head({ pendingRequests: [{ seq: 2, request: 'address' }] })], cipher).apply(brand('address_changed'));
    expect(out).toMatchObject({ ok: true, head: { pendingRequests: [{ seq: 2, request: 'address' }] } });
  });

  it('undoes the pending requests of an all-or-nothing group that fails', () => {
    const h = head({ status: 'packed' });
    const planner = new GroupPlanner([h], cipher);
    planner.apply(consumer('hold'));
    const outcomes = planner.applyAll([brand('hold_confirmed', { request: 3 }), brand('delivered')]);
    expect(outcomes.map((o) => o.ok)).toEqual([true, false]);
    expect(h.pendingRequests).toEqual([{ seq: 3, request: 'hold' }]);
  });
});

describe('order lifecycle with request types', () => {
  it('leaves request types out of the state table: they never change the state', () => {
    for (const status of Object.keys(ALLOWED_NEXT) as (keyof typeof ALLOWED_NEXT)[]) {
      for (const type of REQUEST_EVENT_TYPES) expect(transition(status, type)).toEqual({ allowed: true, nextStatus: status });
      for (const next of ALLOWED_NEXT[status]) expect(REQUEST_EVENT_TYPES).not.toContain(next);
    }
  });

  it('lists v1.0 types first and the v1.1 types after them', () => {
    expect(EVENT_TYPES_V1_0).toHaveLength(14);
    expect(EVENT_TYPES.slice(14)).toEqual([...REQUEST_EVENT_TYPES]);
  });
});
