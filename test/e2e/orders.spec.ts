/**
 * The order API over HTTP against real PostgreSQL: lifecycle, state machine, idempotency,
 * brand isolation, listing.
 */
import { createBrand, startTestApp, type TestApp, type TestBrand } from '../support/app';

const PROBLEM = /^application\/problem\+json/;

let t: TestApp;
let acme: TestBrand;
let globex: TestBrand;

beforeAll(async () => {
  t = await startTestApp();
  acme = await createBrand(t, 'acme');
  globex = await createBrand(t, 'globex');
});

afterAll(async () => {
  await t?.close();
});

function newOrder(reference: string, extra: Record<string, unknown> = {}) {
  return {
    reference,
    data: { channel: 'web', promised: '2-3 days' },
    lineItems: [
      { sku: 'TSHIRT-RED-M', quantity: 2, unitPrice: '19.90', currency: 'EUR' },
      { sku: 'MUG-01', quantity: 1, unitPrice: '7.50', currency: 'EUR', name: 'Mug' },
    ],
    customer: { name: 'Jane Doe', email: 'jane@example.com', phone: '+49 30 1234567' },
    shippingAddress: { name: 'Jane Doe', line1: 'Main Street 1', postalCode: '10115', city: 'Berlin', country: 'DE' },
    ...extra,
  };
}

async function createOrder(brand: TestBrand, reference: string, extra: Record<string, unknown> = {}) {
  const res = await t.http.post('/v1/orders').set(brand.auth).send(newOrder(reference, extra)).expect(201);
  return res.body as { id: string; status: string; lastSeq: number; lastLeaf: string };
}

function append(brand: TestBrand, orderId: string, body: Record<string, unknown>) {
  return t.http.post(`/v1/orders/${orderId}/events`).set(brand.auth).send(body);
}

async function countRows(table: string): Promise<number> {
  const rows = await t.database!.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`);
  return Number(rows[0].n);
}

describe('POST /v1/orders', () => {
  it('creates the order with its created event and seals the typed private fields', async () => {
    const res = await t.http.post('/v1/orders').set(acme.auth).send(newOrder('SO-1000')).expect(201);
    expect(res.body).toMatchObject({
      reference: 'SO-1000',
      status: 'created',
      lastSeq: 1,
      allowedNext: ['paid', 'address_changed', 'cancelled'],
      data: { channel: 'web', promised: '2-3 days' },
    });
    expect(res.body.id).toMatch(/^ord_[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(res.body.lastLeaf).toMatch(/^0x[0-9a-f]{64}$/);
    expect(Date.parse(res.body.createdAt)).not.toBeNaN();

    const events = await t.http.get(`/v1/orders/${res.body.id}/events`).set(acme.auth).expect(200);
    expect(events.body.items).toHaveLength(1);
    const created = events.body.items[0];
    expect(created).toMatchObject({ seq: 1, type: 'created', status: 'pending', anchor: null, leaf: res.body.lastLeaf });
    expect(created.sealedFields.sort()).toEqual(['customer', 'lineItems', 'shippingAddress']);
    expect(created.record).toMatchObject({ v: 1, brand: 'acme', order: res.body.id, seq: 1, type: 'created', data: newOrder('x').data });
    expect(created.record.prev).toBe(`0x${'0'.repeat(64)}`);
    expect(JSON.stringify(created.record)).not.toContain('Jane');
  });

  it('uses the stated time as `at` and its own clock as `recorded`', async () => {
    const at = '2026-01-02T03:04:05.678+01:00';
    const order = await createOrder(acme, 'SO-1001', { at });
    const events = await t.http.get(`/v1/orders/${order.id}/events`).set(acme.auth).expect(200);
    expect(events.body.items[0].at).toBe('2026-01-02T02:04:05.678Z');
    expect(Date.parse(events.body.items[0].recorded)).toBeGreaterThan(Date.parse(events.body.items[0].at));
  });

  it('refuses a reference the brand already used with 409', async () => {
    await createOrder(acme, 'SO-DUP');
    const res = await t.http.post('/v1/orders').set(acme.auth).send(newOrder('SO-DUP')).expect(409);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.body).toMatchObject({ status: 409, code: 'ORDER_REFERENCE_TAKEN', field: 'reference' });
  });
});

describe('order lifecycle', () => {
  it('walks paid → packed → shipped → delivered with a hash chain', async () => {
    const order = await createOrder(acme, 'SO-WALK');
    let prev = order.lastLeaf;
    const steps: [string, Record<string, unknown>][] = [
      ['paid', { data: { method: 'card' } }],
      ['packed', {}],
      ['shipped', { data: { carrier: 'DHL', trackingNo: 'JD014600004512' } }],
      ['delivered', {}],
    ];
    for (const [index, [type, extra]] of steps.entries()) {
      const res = await append(acme, order.id, { type, ...extra }).expect(201);
      expect(res.body).toMatchObject({ orderId: order.id, seq: index + 2, type, status: 'pending', anchor: null });
      expect(res.body.record.prev).toBe(prev);
      expect(res.body.record.brand).toBe('acme');
      prev = res.body.leaf;
    }
    const got = await t.http.get(`/v1/orders/${order.id}`).set(acme.auth).expect(200);
    expect(got.body).toMatchObject({
      id: order.id,
      status: 'delivered',
      lastSeq: 5,
      lastLeaf: prev,
      allowedNext: ['received', 'return_requested'],
    });
    const events = await t.http.get(`/v1/orders/${order.id}/events`).set(acme.auth).expect(200);
    expect(events.body.items.map((e: { type: string }) => e.type)).toEqual(['created', 'paid', 'packed', 'shipped', 'delivered']);
    expect(events.body.items[3].record.data).toEqual({
      carrier: 'DHL',
      trackingNo: 'JD014600004512',
      'ordertrace:source': `api:${acme.keyId}`,
    });
    // The key's id names who wrote it; nothing of the key's secret goes into a record.
    expect(JSON.stringify(events.body)).not.toContain(acme.key.slice(-16));
  });

  it('accepts the optional allocated step and address changes without changing the state', async () => {
    const order = await createOrder(acme, 'SO-ALLOC');
    await append(acme, order.id, { type: 'paid' }).expect(201);
    await append(acme, order.id, {
      type: 'address_changed',
      sealed: { shippingAddress: { line1: 'Side Street 2', city: 'Berlin', country: 'DE' } },
    }).expect(201);
    await append(acme, order.id, { type: 'allocated' }).expect(201);
    const got = await t.http.get(`/v1/orders/${order.id}`).set(acme.auth).expect(200);
    expect(got.body).toMatchObject({ status: 'allocated', lastSeq: 4 });
  });

  it('answers an illegal transition with 409, the current state and the allowed types, and stores nothing', async () => {
    const order = await createOrder(acme, 'SO-CANCEL');
    await append(acme, order.id, { type: 'cancelled' }).expect(201);
    const before = await countRows('events');
    const res = await append(acme, order.id, { type: 'shipped' }).expect(409);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.body).toMatchObject({
      type: 'urn:ordertrace:problem:illegal-transition',
      status: 409,
      code: 'ILLEGAL_TRANSITION',
      currentState: 'cancelled',
      allowed: ['refunded'],
    });
    expect(res.body.detail).toContain('cancelled');
    expect(await countRows('events')).toBe(before);
    const got = await t.http.get(`/v1/orders/${order.id}`).set(acme.auth).expect(200);
    expect(got.body).toMatchObject({ status: 'cancelled', lastSeq: 2 });
    // The seq the refused event took was rolled back: the next one follows without a gap.
    const refunded = await append(acme, order.id, { type: 'refunded' }).expect(201);
    expect(refunded.body.seq).toBe(3);
  });

  it('refuses received before shipped, a second created, and anything after refunded', async () => {
    const order = await createOrder(acme, 'SO-EARLY');
    const early = await append(acme, order.id, { type: 'received' }).expect(409);
    expect(early.body).toMatchObject({ currentState: 'created', allowed: ['paid', 'address_changed', 'cancelled'] });
    await append(acme, order.id, { type: 'created' }).expect(409);
    await append(acme, order.id, { type: 'cancelled' }).expect(201);
    await append(acme, order.id, { type: 'refunded' }).expect(201);
    const final = await append(acme, order.id, { type: 'paid' }).expect(409);
    expect(final.body).toMatchObject({ currentState: 'refunded', allowed: [] });
  });

  it('lets the consumer confirm receipt after shipping, then a return', async () => {
    const order = await createOrder(acme, 'SO-RECEIVED');
    for (const type of ['paid', 'packed', 'shipped', 'in_transit', 'in_transit', 'received', 'return_requested', 'returned', 'refunded']) {
      await append(acme, order.id, { type }).expect(201);
    }
    const got = await t.http.get(`/v1/orders/${order.id}`).set(acme.auth).expect(200);
    expect(got.body).toMatchObject({ status: 'refunded', lastSeq: 10 });
  });
});

describe('Idempotency-Key', () => {
  it('returns the first response for a retry and stores one order', async () => {
    const body = newOrder('SO-IDEM');
    const first = await t.http.post('/v1/orders').set(acme.auth).set('Idempotency-Key', 'create-SO-IDEM').send(body).expect(201);
    const retry = await t.http.post('/v1/orders').set(acme.auth).set('Idempotency-Key', 'create-SO-IDEM').send(body).expect(201);
    expect(retry.body).toEqual(first.body);
    const rows = await t.database!.query(`SELECT id FROM orders WHERE reference = 'SO-IDEM'`);
    expect(rows).toHaveLength(1);
  });

  it('treats the same body with other key order or whitespace as the same request', async () => {
    const first = await t.http
      .post('/v1/orders')
      .set(acme.auth)
      .set('Idempotency-Key', 'k-order')
      .send({ reference: 'SO-KEYORDER', data: { a: 1, b: 2 } })
      .expect(201);
    const retry = await t.http
      .post('/v1/orders')
      .set({ ...acme.auth, 'Content-Type': 'application/json', 'Idempotency-Key': 'k-order' })
      .send('{ "data": {"b":2, "a":1}, "reference":"SO-KEYORDER" }')
      .expect(201);
    expect(retry.body.id).toBe(first.body.id);
  });

  it('answers the same key with a different body with 422 and stores nothing', async () => {
    await t.http.post('/v1/orders').set(acme.auth).set('Idempotency-Key', 'k-422').send(newOrder('SO-422')).expect(201);
    const orders = await countRows('orders');
    const res = await t.http.post('/v1/orders').set(acme.auth).set('Idempotency-Key', 'k-422').send(newOrder('SO-423')).expect(422);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.body).toMatchObject({ status: 422, code: 'IDEMPOTENCY_KEY_REUSED' });
    expect(await countRows('orders')).toBe(orders);
  });

  it('makes concurrent retries of one create produce one order', async () => {
    const body = newOrder('SO-RACE');
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => t.http.post('/v1/orders').set(acme.auth).set('Idempotency-Key', 'k-race').send(body)),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(10).fill(201));
    expect(new Set(responses.map((r) => r.body.id)).size).toBe(1);
    expect(await t.database!.query(`SELECT id FROM orders WHERE reference = 'SO-RACE'`)).toHaveLength(1);
  });

  it('makes a retried event append store one event', async () => {
    const order = await createOrder(acme, 'SO-IDEM-EVENT');
    const first = await append(acme, order.id, { type: 'paid' }).set('Idempotency-Key', 'pay-1').expect(201);
    const retry = await append(acme, order.id, { type: 'paid' }).set('Idempotency-Key', 'pay-1').expect(201);
    expect(retry.body).toEqual(first.body);
    const events = await t.http.get(`/v1/orders/${order.id}/events`).set(acme.auth).expect(200);
    expect(events.body.items).toHaveLength(2);
  });

  it('scopes keys to the brand', async () => {
    const a = await t.http.post('/v1/orders').set(acme.auth).set('Idempotency-Key', 'shared-key').send(newOrder('SO-SCOPE')).expect(201);
    const g = await t.http.post('/v1/orders').set(globex.auth).set('Idempotency-Key', 'shared-key').send(newOrder('SO-SCOPE')).expect(201);
    expect(g.body.id).not.toBe(a.body.id);
  });

  it('does not keep failed requests: a retry after a refusal runs again', async () => {
    const order = await createOrder(acme, 'SO-IDEM-FAIL');
    await append(acme, order.id, { type: 'shipped' }).set('Idempotency-Key', 'ship-early').expect(409);
    await append(acme, order.id, { type: 'paid' }).expect(201);
    await append(acme, order.id, { type: 'packed' }).expect(201);
    const res = await append(acme, order.id, { type: 'shipped' }).set('Idempotency-Key', 'ship-early').expect(201);
    expect(res.body.seq).toBe(4);
  });
});

describe('brand isolation', () => {
  it("answers another brand's order with 404 on every route and changes nothing", async () => {
    const order = await createOrder(acme, 'SO-PRIVATE');
    const get = await t.http.get(`/v1/orders/${order.id}`).set(globex.auth).expect(404);
    expect(get.headers['content-type']).toMatch(PROBLEM);
    expect(get.body).toMatchObject({ status: 404, code: 'ORDER_NOT_FOUND' });
    await t.http.get(`/v1/orders/${order.id}/events`).set(globex.auth).expect(404);
    await append(globex, order.id, { type: 'paid' }).expect(404);
    const list = await t.http.get('/v1/orders').query({ reference: 'SO-PRIVATE' }).set(globex.auth).expect(200);
    expect(list.body.items).toEqual([]);
    const own = await t.http.get(`/v1/orders/${order.id}`).set(acme.auth).expect(200);
    expect(own.body).toMatchObject({ status: 'created', lastSeq: 1 });
  });

  it('lets two brands use the same reference', async () => {
    const a = await createOrder(acme, 'SO-BOTH');
    const g = await createOrder(globex, 'SO-BOTH');
    expect(g.id).not.toBe(a.id);
  });

  it('answers unknown order ids with 404', async () => {
    await t.http.get('/v1/orders/ord_00000000000000000000000000').set(acme.auth).expect(404);
    await t.http.get('/v1/orders/not-an-id').set(acme.auth).expect(404);
    await append(acme, 'ord_00000000000000000000000000', { type: 'paid' }).expect(404);
  });
});

describe('GET /v1/orders', () => {
  let brand: TestBrand;
  const ids: string[] = [];

  beforeAll(async () => {
    brand = await createBrand(t, 'listing');
    for (let i = 0; i < 7; i++) {
      const order = await createOrder(brand, `L-${i}`);
      ids.push(order.id);
      if (i % 2 === 0) await append(brand, order.id, { type: 'paid' }).expect(201);
    }
  });

  it('pages newest first with an opaque cursor', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    const sizes: number[] = [];
    for (let page = 0; page < 5; page++) {
      const res = await t.http
        .get('/v1/orders')
        .query({ limit: 3, ...(cursor ? { cursor } : {}) })
        .set(brand.auth)
        .expect(200);
      sizes.push(res.body.items.length);
      seen.push(...res.body.items.map((o: { id: string }) => o.id));
      cursor = res.body.nextCursor ?? undefined;
      if (!cursor) break;
    }
    expect(sizes).toEqual([3, 3, 1]);
    expect(seen).toEqual([...ids].reverse());
  });

  it('filters by status, reference and creation time', async () => {
    const paid = await t.http.get('/v1/orders').query({ status: 'paid' }).set(brand.auth).expect(200);
    expect(paid.body.items.map((o: { reference: string }) => o.reference).sort()).toEqual(['L-0', 'L-2', 'L-4', 'L-6']);
    const byRef = await t.http.get('/v1/orders').query({ reference: 'L-3' }).set(brand.auth).expect(200);
    expect(byRef.body.items).toHaveLength(1);
    expect(byRef.body.items[0].id).toBe(ids[3]);

    const all = await t.http.get('/v1/orders').set(brand.auth).expect(200);
    const third = all.body.items.find((o: { id: string }) => o.id === ids[2]);
    const from = await t.http.get('/v1/orders').query({ createdFrom: third.createdAt }).set(brand.auth).expect(200);
    expect(from.body.items.map((o: { id: string }) => o.id)).toEqual(ids.slice(2).reverse());
    const to = await t.http.get('/v1/orders').query({ createdTo: third.createdAt }).set(brand.auth).expect(200);
    expect(to.body.items.map((o: { id: string }) => o.id)).toEqual(ids.slice(0, 2).reverse());
    const none = await t.http
      .get('/v1/orders')
      .query({ createdFrom: '2000-01-01T00:00:00Z', createdTo: '2000-01-02T00:00:00Z' })
      .set(brand.auth)
      .expect(200);
    expect(none.body).toEqual({ items: [], nextCursor: null });
  });

  it('refuses bad query parameters with a problem naming them', async () => {
    const cases: [Record<string, string>, string][] = [
      [{ cursor: 'garbage' }, 'cursor'],
      [{ limit: '0' }, 'limit'],
      [{ limit: '201' }, 'limit'],
      [{ limit: 'ten' }, 'limit'],
      [{ status: 'lost' }, 'status'],
      [{ createdFrom: 'yesterday' }, 'createdFrom'],
      [{ sort: 'asc' }, 'sort'],
    ];
    for (const [query, field] of cases) {
      const res = await t.http.get('/v1/orders').query(query).set(brand.auth).expect(400);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
  });
});
