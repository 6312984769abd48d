/**
 * POST /v1/bulk and the group commit beneath every write, on real PostgreSQL: items applied in
 * order and each on its own, the state machine exactly as for single calls, idempotent retries
 * that never append twice, and back-pressure answered with Retry-After.
 */
import type { EventRecord } from '../../proof/record';
import { leafHashOfCanonical, GENESIS_PREV } from '../../proof/hashes';
import { createBrand, startTestApp, type TestApp, type TestBrand } from '../support/app';

jest.setTimeout(120_000);

interface StoredEvent {
  order_id: string;
  seq: number;
  record: string;
  leaf: string;
  batch_seq: number;
  batch_index: number;
}

describe('POST /v1/bulk', () => {
  let t: TestApp;
  let brand: TestBrand;

  const events = (orderId: string) =>
    t.database!.query<StoredEvent>(
      `SELECT order_id, seq, record, leaf, batch_seq, batch_index FROM events WHERE order_id = $1 ORDER BY seq`,
      [orderId],
    );

  const expectValidChain = (rows: StoredEvent[]) => {
    rows.forEach((row, i) => {
      const record = JSON.parse(row.record) as EventRecord;
      expect(row.seq).toBe(i + 1);
      expect(record.seq).toBe(i + 1);
      expect(leafHashOfCanonical(row.record)).toBe(row.leaf);
      expect(record.prev).toBe(i === 0 ? GENESIS_PREV : rows[i - 1].leaf);
    });
  };

  beforeAll(async () => {
    t = await startTestApp();
    brand = await createBrand(t, 'bulk-acme');
  });

  afterAll(async () => {
    await t?.close();
  });

  it('creates orders and appends their events in the order given, an event after its order in the same body', async () => {
    const res = await t.http
      .post('/v1/bulk')
      .set(brand.auth)
      .send({
        items: [
          { order: { reference: 'B-1', data: { channel: 'web' }, customer: { name: 'Ada' } } },
          { event: { reference: 'B-1', type: 'paid' } },
          { event: { reference: 'B-1', type: 'packed', data: { station: 3 } } },
          { order: { reference: 'B-2' } },
        ],
      })
      .expect(200);
    expect(res.body.items.map((i: { status: number }) => i.status)).toEqual([201, 201, 201, 201]);
    const orderId = res.body.items[0].order.id as string;
    expect(res.body.items[0].order).toMatchObject({ reference: 'B-1', status: 'created', lastSeq: 1 });
    expect(res.body.items[2].event).toMatchObject({ orderId, seq: 3, type: 'packed', status: 'pending', record: { data: { station: 3 } } });
    const stored = await events(orderId);
    expect(stored.map((e) => JSON.parse(e.record).type)).toEqual(['created', 'paid', 'packed']);
    expectValidChain(stored);
    const order = await t.http.get(`/v1/orders/${orderId}`).set(brand.auth).expect(200);
    expect(order.body).toMatchObject({ status: 'packed', lastSeq: 3, lastLeaf: stored[2].leaf });
  });

  it('stores every record exactly as hashed and beside its own row, whatever characters it holds', async () => {
    const notes = ['rec\u001esep', 'unit\u001f', 'line\nbreak\ttab', 'quote " and \\ backslash', '中文 📦 ü', '\u007f\u0085\u2028', ''];
    const res = await t.http
      .post('/v1/bulk')
      .set(brand.auth)
      .send({ items: notes.map((note, i) => ({ order: { reference: `B-CHARS-${i}`, data: { note, i } } })) })
      .expect(200);
    expect(res.body.items.map((i: { status: number }) => i.status)).toEqual(notes.map(() => 201));
    for (const [i, note] of notes.entries()) {
      const stored = await events(res.body.items[i].order.id as string);
      expectValidChain(stored);
      expect(stored).toHaveLength(1);
      expect((JSON.parse(stored[0].record) as EventRecord).data).toMatchObject({ note, i });
      expect(res.body.items[i].order.id).toBe((JSON.parse(stored[0].record) as EventRecord).order);
    }
  });

  it('fails a bad item alone, with the problem of the single call, and applies the others', async () => {
    const created = await t.http.post('/v1/orders').set(brand.auth).send({ reference: 'B-3' }).expect(201);
    const id = created.body.id as string;
    const res = await t.http
      .post('/v1/bulk')
      .set(brand.auth)
      .send({
        items: [
          { event: { order: id, type: 'shipped' } }, // illegal: created → shipped
          { event: { order: id, type: 'paid' } },
          { event: { order: id, type: 'bogus' } }, // invalid type
          { event: { order: 'ord_00000000000000000000000000', type: 'paid' } },
          { order: { reference: 'B-3' } }, // reference taken
          { event: { order: id, type: 'packed', unknownField: 1 } },
          { nonsense: {} },
          { event: { order: id, reference: 'B-3', type: 'packed' } },
          { event: { order: id, type: 'packed' } },
        ],
      })
      .expect(200);
    const items = res.body.items as { status: number; problem?: { code: string; errors?: { field: string }[]; currentState?: string } }[];
    expect(items.map((i) => i.status)).toEqual([409, 201, 400, 404, 409, 400, 400, 400, 201]);
    expect(items[0].problem).toMatchObject({ code: 'ILLEGAL_TRANSITION', currentState: 'created' });
    expect(items[2].problem?.errors?.[0].field).toBe('items[2].event.type');
    expect(items[4].problem?.code).toBe('ORDER_REFERENCE_TAKEN');
    expect(items[5].problem?.errors?.[0].field).toBe('items[5].event.unknownField');
    expect(items[6].problem?.errors?.[0].field).toBe('items[6]');
    const stored = await events(id);
    expect(stored.map((e) => JSON.parse(e.record).type)).toEqual(['created', 'paid', 'packed']);
    expectValidChain(stored);
  });

  it('answers each item with the value of its single call, key for key and in the same key order', async () => {
    // What differs between two calls (ids, times, hashes, salted commitments) is reduced to its
    // type; everything else, key order included, must match the single call's answer.
    const varying = new Set([
      'id',
      'orderId',
      'reference',
      'order',
      'createdAt',
      'updatedAt',
      'at',
      'recorded',
      'leaf',
      'lastLeaf',
      'prev',
    ]);
    const shape = (value: unknown) =>
      JSON.stringify(value, (key, v: unknown) =>
        varying.has(key) && typeof v === 'string' ? typeof v : key === 'sealed' && typeof v === 'object' && v !== null ? Object.keys(v) : v,
      );
    const create = { data: { channel: 'web', z: [1, 'ü', { b: null, a: true }], a: 'Ω\n"' }, customer: { name: 'Zoë' } };
    const append = { type: 'paid', data: { zz: 2.5, amount: '12.00', nested: { y: 1, x: [] } }, sealed: { note: 'private', b: 1 } };
    const single = await t.http
      .post('/v1/orders')
      .set(brand.auth)
      .send({ reference: 'EQ-single', ...create })
      .expect(201);
    const singleEvent = await t.http.post(`/v1/orders/${single.body.id}/events`).set(brand.auth).send(append).expect(201);
    const singleIllegal = await t.http.post(`/v1/orders/${single.body.id}/events`).set(brand.auth).send({ type: 'created' }).expect(409);
    const res = await t.http
      .post('/v1/bulk')
      .set(brand.auth)
      .send({
        items: [
          { order: { reference: 'EQ-bulk', ...create } },
          { event: { reference: 'EQ-bulk', ...append } },
          { event: { reference: 'EQ-bulk', type: 'created' } },
          { event: { reference: 'EQ-bulk', type: 'bogus' } },
        ],
      })
      .expect(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    // The text is exactly what serializing its value gives: no stray spacing, keys as an object's.
    expect(res.text).toBe(JSON.stringify(JSON.parse(res.text)));
    const items = res.body.items as { status: number; order?: unknown; event?: unknown; problem?: { instance?: string } }[];
    expect(items.map((i) => Object.keys(i))).toEqual([
      ['status', 'order'],
      ['status', 'event'],
      ['status', 'problem'],
      ['status', 'problem'],
    ]);
    expect(shape(items[0].order)).toBe(shape(single.body));
    expect(shape(items[1].event)).toBe(shape(singleEvent.body));
    // The single call's problem names its request; an item's does not.
    const { instance: _instance, ...illegal } = singleIllegal.body as { instance?: string };
    expect(items[2]).toEqual({ status: 409, problem: illegal });
    expect(shape(items[2].problem)).toBe(shape(illegal));
  });

  it("never reaches another brand's order, by id or by reference", async () => {
    const other = await createBrand(t, 'bulk-other');
    const theirs = await t.http.post('/v1/orders').set(other.auth).send({ reference: 'THEIRS-1' }).expect(201);
    const res = await t.http
      .post('/v1/bulk')
      .set(brand.auth)
      .send({ items: [{ event: { order: theirs.body.id, type: 'paid' } }, { event: { reference: 'THEIRS-1', type: 'paid' } }] })
      .expect(200);
    expect(res.body.items.map((i: { status: number }) => i.status)).toEqual([404, 404]);
    expect(await events(theirs.body.id)).toHaveLength(1);
  });

  it('obeys the state machine exactly as single calls do', async () => {
    const types = ['paid', 'shipped', 'packed', 'cancelled', 'shipped', 'refunded', 'paid'];
    const single = await t.http.post('/v1/orders').set(brand.auth).send({ reference: 'SM-single' }).expect(201);
    const singleStatuses: number[] = [];
    for (const type of types) {
      singleStatuses.push((await t.http.post(`/v1/orders/${single.body.id}/events`).set(brand.auth).send({ type })).status);
    }
    const bulk = await t.http
      .post('/v1/bulk')
      .set(brand.auth)
      .send({ items: [{ order: { reference: 'SM-bulk' } }, ...types.map((type) => ({ event: { reference: 'SM-bulk', type } }))] })
      .expect(200);
    expect(bulk.body.items.slice(1).map((i: { status: number }) => i.status)).toEqual(singleStatuses);
    const a = (await events(single.body.id)).map((e) => JSON.parse(e.record).type);
    const b = (await events(bulk.body.items[0].order.id)).map((e) => JSON.parse(e.record).type);
    expect(b).toEqual(a);
  });

  it('replays a retried request with its Idempotency-Key and appends nothing twice, even when the retry races the original', async () => {
    const created = await t.http.post('/v1/orders').set(brand.auth).send({ reference: 'IDEM-1' }).expect(201);
    const body = { items: [{ event: { order: created.body.id, type: 'paid' } }, { event: { order: created.body.id, type: 'packed' } }] };
    const send = () => t.http.post('/v1/bulk').set(brand.auth).set('Idempotency-Key', 'bulk-idem-1').send(body);
    const answers = await Promise.all([send(), send(), send()]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    for (const a of answers) expect(a.body).toEqual(answers[0].body);
    expect((await send()).body).toEqual(answers[0].body);
    expect((await events(created.body.id)).map((e) => e.seq)).toEqual([1, 2, 3]);
    const reused = await t.http
      .post('/v1/bulk')
      .set(brand.auth)
      .set('Idempotency-Key', 'bulk-idem-1')
      .send({ items: [{ event: { order: created.body.id, type: 'shipped' } }] });
    expect(reused.status).toBe(422);
    expect(reused.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('refuses a body without items, with more than 1,000 items, or that is not an object', async () => {
    await t.http.post('/v1/bulk').set(brand.auth).send({ items: [] }).expect(400);
    const tooMany = await t.http
      .post('/v1/bulk')
      .set(brand.auth)
      .send({ items: Array.from({ length: 1001 }, () => ({ event: { order: 'x', type: 'paid' } })) })
      .expect(400);
    expect(tooMany.body.errors[0].field).toBe('items');
    await t.http.post('/v1/bulk').set(brand.auth).send([1, 2]).expect(400);
  });

  it('accepts a body above BODY_LIMIT up to its own limit', async () => {
    const items = Array.from({ length: 1000 }, (_, i) => ({ order: { reference: `BIG-${i}`, data: { note: 'x'.repeat(1_100) } } }));
    const res = await t.http.post('/v1/bulk').set(brand.auth).send({ items }).expect(200);
    expect(res.body.items.every((i: { status: number }) => i.status === 201)).toBe(true);
    const [{ n }] = await t.database!.query<{ n: number }>(`SELECT count(*)::int AS n FROM orders WHERE reference LIKE 'BIG-%'`);
    expect(n).toBe(1000);
  });

  it('gives every event a distinct, gap-free batch position', async () => {
    const rows = await t.database!.query<{ batch_seq: number; n: number; max_index: number }>(
      `SELECT batch_seq, count(*)::int AS n, max(batch_index) AS max_index FROM events GROUP BY batch_seq ORDER BY batch_seq`,
    );
    for (const row of rows) expect(row.max_index).toBe(row.n - 1);
  });
});

describe('group commit under concurrency', () => {
  let t: TestApp;
  let brand: TestBrand;

  beforeAll(async () => {
    t = await startTestApp({ env: { INGEST_QUEUE_MAX: '400', INGEST_BRAND_QUEUE_MAX: '300' } });
    brand = await createBrand(t, 'group-acme');
  });

  afterAll(async () => {
    await t?.close();
  });

  it('fails only the illegal append among concurrent appends to many orders, each order keeping a valid chain', async () => {
    const orders = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        t.http
          .post('/v1/orders')
          .set(brand.auth)
          .send({ reference: `G-${i}` })
          .expect(201),
      ),
    );
    const ids = orders.map((o) => o.body.id as string);
    // Every order gets paid then packed; order 0 also gets an illegal `delivered` in the same burst.
    const answers = await Promise.all([
      ...ids.map((id) => t.http.post(`/v1/orders/${id}/events`).set(brand.auth).send({ type: 'paid' })),
      t.http.post(`/v1/orders/${ids[0]}/events`).set(brand.auth).send({ type: 'delivered' }),
    ]);
    expect(answers.slice(0, ids.length).map((a) => a.status)).toEqual(ids.map(() => 201));
    expect(answers[ids.length].status).toBe(409);
    const rows = await t.database!.query<{ order_id: string; n: number; max_seq: number }>(
      `SELECT order_id, count(*)::int AS n, max(seq) AS max_seq FROM events WHERE order_id = ANY($1) GROUP BY order_id`,
      [ids],
    );
    expect(rows.every((r) => r.n === 2 && r.max_seq === 2)).toBe(true);
  });

  it('answers 503 with Retry-After past the queue, 429 past one brand’s share, and stores nothing of a refused request', async () => {
    const created = await t.http.post('/v1/orders').set(brand.auth).send({ reference: 'Q-1' }).expect(201);
    // 301 commands in one request: over this brand's share (300), under the whole queue (400).
    const overShare = await t.http
      .post('/v1/bulk')
      .set(brand.auth)
      .send({ items: Array.from({ length: 301 }, (_, i) => ({ order: { reference: `Q-share-${i}` } })) });
    expect(overShare.status).toBe(429);
    expect(overShare.headers['retry-after']).toBe('1');
    // Two brands filling the queue at once: whatever is refused is refused with 503 and Retry-After.
    const other = await createBrand(t, 'group-other');
    const burst = (b: TestBrand, tag: string) =>
      t.http
        .post('/v1/bulk')
        .set(b.auth)
        .send({ items: Array.from({ length: 250 }, (_, i) => ({ order: { reference: `${tag}-${i}` } })) });
    const answers = await Promise.all([burst(brand, 'Q-a'), burst(other, 'Q-b'), burst(brand, 'Q-c')]);
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(1);
    for (const a of answers.filter((x) => x.status !== 200)) {
      expect([429, 503]).toContain(a.status);
      expect(a.headers['retry-after']).toBe('1');
    }
    const [{ n }] = await t.database!.query<{ n: number }>(`SELECT count(*)::int AS n FROM orders WHERE reference LIKE 'Q-share-%'`);
    expect(n).toBe(0);
    for (const [i, tag] of ['Q-a', 'Q-b', 'Q-c'].entries()) {
      const [{ stored }] = await t.database!.query<{ stored: number }>(
        `SELECT count(*)::int AS stored FROM orders WHERE reference LIKE $1`,
        [`${tag}-%`],
      );
      expect(stored).toBe(statuses[i] === 200 ? 250 : 0);
    }
    expect((await t.http.get(`/v1/orders/${created.body.id}`).set(brand.auth).expect(200)).body.lastSeq).toBe(1);
  });
});
