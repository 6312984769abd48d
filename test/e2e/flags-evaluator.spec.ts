/**
 * The background flag evaluator on real PostgreSQL: each rule that needs more than an order's
 * public history (a receipt right after a link reissue, a refund after receipt on a high-value
 * order, a burst of orders sharing a phone or an address through the keyed blind index) on its
 * pattern and its innocent twin; the GET /v1/flags feed and its paging and scopes; the
 * `order.flagged` outbox rows; per-brand thresholds; erasure and a replaced blind-index key.
 */
import { randomBytes } from 'node:crypto';
import { waitFor } from '../support/anchoring-fixture';
import { createBrand, startTestApp, type TestApp, type TestBrand, waitEventsEvaluated } from '../support/app';

jest.setTimeout(120_000);

interface RaisedFlag {
  id: string;
  rule: string;
  severity: string;
  order: string;
  seqs: number[];
  explanation: { en: string; 'zh-CN': string };
  raisedAt: string;
}

let t: TestApp;
let acme: TestBrand;
let other: TestBrand;
const admin = (): { Authorization: string } => ({ Authorization: `Bearer ${t.adminToken}` });

beforeAll(async () => {
  t = await startTestApp({
    env: { FLAG_EVALUATOR_POLL_MS: '50', WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_ALLOW_HTTP: 'true', WEBHOOK_POLL_MS: '60000' },
  });
  const roles = ['brand:admin', 'brand:write', 'brand:read'];
  [acme, other] = [await createBrand(t, 'eval-acme', roles), await createBrand(t, 'eval-other', roles)];
});

afterAll(async () => {
  await t?.close();
});

/** Every flag the key's feed lists, page by page. */
async function feed(auth: { Authorization: string }, limit = 100): Promise<RaisedFlag[]> {
  const all: RaisedFlag[] = [];
  let after = '0';
  for (;;) {
    const res = await t.http.get(`/v1/flags?after=${after}&limit=${limit}`).set(auth).expect(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const page = res.body as { items: RaisedFlag[]; next: string | null };
    all.push(...page.items);
    if (page.next === null) return all;
    after = page.next;
  }
}

const flagsOfOrder = async (brand: TestBrand, order: string, rule: string): Promise<RaisedFlag[]> =>
  (await feed(brand.auth)).filter((f) => f.order === order && f.rule === rule);

async function createOrder(brand: TestBrand, body: object): Promise<string> {
  const reference = `EV-${randomBytes(5).toString('hex')}`;
  return (
    await t.http
      .post('/v1/orders')
      .set(brand.auth)
      .send({ reference, ...body })
      .expect(201)
  ).body.id as string;
}

async function append(brand: TestBrand, order: string, ...types: string[]): Promise<void> {
  for (const type of types) await t.http.post(`/v1/orders/${order}/events`).set(brand.auth).send({ type }).expect(201);
}

async function issueLink(brand: TestBrand, order: string): Promise<string> {
  const url = (await t.http.post(`/v1/orders/${order}/qr`).set(brand.auth).expect(201)).body.url as string;
  return new URLSearchParams(new URL(url).hash.slice(1)).get('t') ?? '';
}

const phoneOrder = (phone: string, line1 = 'Main Street 1') => ({
  customer: { name: 'Jane Doe', phone },
  shippingAddress: { line1, postalCode: '10115', city: 'Berlin', country: 'DE' },
});

describe('flag thresholds per brand', () => {
  it('answers the defaults, sets them, resets them with an empty body, and refuses bad values naming the field', async () => {
    const url = `/v1/brands/${acme.id}/flag-thresholds`;
    const defaults = (await t.http.get(url).set(acme.auth).expect(200)).body as Record<string, unknown>;
    expect(defaults).toMatchObject({ burstOrdersAtLeast: 5, highValueAtLeast: '1000', receiptAfterReissueMs: 1_800_000 });
    const set = await t.http.put(url).set(acme.auth).send({ burstOrdersAtLeast: 3, highValueAtLeast: '500.00' }).expect(200);
    expect(set.body).toMatchObject({ ...defaults, burstOrdersAtLeast: 3, highValueAtLeast: '500.00' });
    expect((await t.http.get(url).set(acme.auth).expect(200)).body).toEqual(set.body);

    for (const [body, field] of [
      [{ burstOrdersAtLeast: 1 }, 'burstOrdersAtLeast'],
      [{ highValueAtLeast: 12.5 }, 'highValueAtLeast'],
      [{ highValueAtLeast: '-1' }, 'highValueAtLeast'],
      [{ burstWindowMs: 'soon' }, 'burstWindowMs'],
      [{ unknownThreshold: 1 }, 'unknownThreshold'],
    ] as const) {
      const res = await t.http.put(url).set(acme.auth).send(body).expect(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(JSON.stringify(res.body)).toContain(field);
    }
    // What a refused request sent was not stored.
    expect((await t.http.get(url).set(acme.auth).expect(200)).body).toEqual(set.body);
    // Another brand's admin key does not reach them.
    await t.http.get(url).set(other.auth).expect(404);
    await t.http.put(url).set(other.auth).send({}).expect(404);
    const otherUrl = `/v1/brands/${other.id}/flag-thresholds`;
    await t.http.put(otherUrl).set(other.auth).send({ addressChangesAtLeast: 9 }).expect(200);
    expect((await t.http.put(otherUrl).set(other.auth).send({}).expect(200)).body).toEqual(defaults);
    expect((await t.http.get(otherUrl).set(other.auth).expect(200)).body).toEqual(defaults);
  });
});

describe('the evaluator', () => {
  let burst: string[];

  it('flags every order of a burst sharing a phone number written differently, not fewer orders, nor another brand’s', async () => {
    // acme flags three orders (set above); other keeps the default of five.
    burst = [
      await createOrder(acme, phoneOrder('+86 138 0013 8000', 'Road 1')),
      await createOrder(acme, phoneOrder('0086 138-0013-8000', 'Road 2')),
    ];
    const pair = [
      await createOrder(acme, phoneOrder('+86 139 0000 0001', 'Lane 1')),
      await createOrder(acme, phoneOrder('+86 139 0000 0001', 'Lane 2')),
    ];
    const foreign: string[] = [];
    for (let i = 0; i < 3; i++) foreign.push(await createOrder(other, phoneOrder('+86 138 0013 8000', `Road ${i + 1}`)));
    await waitEventsEvaluated(t);
    expect((await feed(acme.auth)).filter((f) => f.rule === 'order_burst_same_contact')).toEqual([]);

    burst.push(await createOrder(acme, phoneOrder('+8613800138000', 'Road 3')));
    await waitEventsEvaluated(t);
    const flags = (await feed(acme.auth)).filter((f) => f.rule === 'order_burst_same_contact');
    expect(flags.map((f) => f.order).sort()).toEqual([...burst].sort());
    for (const f of flags) {
      expect(f).toMatchObject({ severity: 'warning', seqs: [1] });
      expect(f.explanation.en).toMatch(/^3 orders of the brand within 24 h share the phone number/);
      expect(f.explanation.en).not.toContain('138');
    }
    for (const order of pair) expect(await flagsOfOrder(acme, order, 'order_burst_same_contact')).toEqual([]);
    expect((await feed(other.auth)).filter((f) => f.rule === 'order_burst_same_contact')).toEqual([]);
    // The evaluator's flags show on the order too.
    const onOrder = (await t.http.get(`/v1/orders/${burst[0]}/flags`).set(acme.auth).expect(200)).body.items as RaisedFlag[];
    expect(onOrder).toEqual([expect.objectContaining({ rule: 'order_burst_same_contact', order: burst[0], seqs: [1] })]);
    expect(foreign).toHaveLength(3);
  });

  it('flags an address burst on its own, and raises each flag once however often its orders are evaluated', async () => {
    const orders: string[] = [];
    for (const phone of ['+1 202 555 0101', '+1 202 555 0102', '+1 202 555 0103']) {
      orders.push(await createOrder(acme, phoneOrder(phone, 'Harbour Road 9')));
    }
    await append(acme, orders[0], 'paid', 'packed');
    await waitEventsEvaluated(t);
    const flags = (await feed(acme.auth)).filter((f) => f.rule === 'order_burst_same_contact' && orders.includes(f.order));
    expect(flags.map((f) => f.order).sort()).toEqual([...orders].sort());
    expect(flags.every((f) => f.explanation.en.includes('delivery address'))).toBe(true);
  });

  it('flags a consumer receipt right after the link was reissued, not one after the first link', async () => {
    const shipped = async (): Promise<string> => {
      const id = await createOrder(acme, {});
      await append(acme, id, 'paid', 'packed', 'shipped');
      return id;
    };
    const reissued = await shipped();
    await issueLink(acme, reissued);
    const token = await issueLink(acme, reissued);
    await t.http.post(`/public/orders/${reissued}/receipt`).set('x-order-token', token).expect(201);
    const firstLink = await shipped();
    await t.http
      .post(`/public/orders/${firstLink}/receipt`)
      .set('x-order-token', await issueLink(acme, firstLink))
      .expect(201);
    await waitEventsEvaluated(t);
    const [flag] = await flagsOfOrder(acme, reissued, 'receipt_after_link_reissue');
    expect(flag).toMatchObject({ severity: 'high', seqs: [5] });
    expect(flag.explanation['zh-CN']).toContain('重新签发');
    expect(await flagsOfOrder(acme, firstLink, 'receipt_after_link_reissue')).toEqual([]);
  });

  it('flags a refund after receipt on an order worth the brand threshold, from sealed line items, not a cheaper one', async () => {
    const refundedAfterReceipt = async (body: object): Promise<string> => {
      const id = await createOrder(acme, body);
      await append(acme, id, 'paid', 'packed', 'shipped', 'received', 'return_requested', 'refunded');
      return id;
    };
    const dear = await refundedAfterReceipt({ lineItems: [{ sku: 'WATCH', quantity: 2, unitPrice: '250.00', currency: 'EUR' }] });
    const cheap = await refundedAfterReceipt({ data: { total: '499.99', currency: 'EUR' } });
    await waitEventsEvaluated(t);
    const [flag] = await flagsOfOrder(acme, dear, 'refund_after_receipt_high_value');
    expect(flag).toMatchObject({ severity: 'warning', seqs: [5, 7] });
    // The brand's threshold, never the sealed prices' sum.
    expect(flag.explanation.en).toContain('worth 500.00 EUR or more');
    expect(await flagsOfOrder(acme, cheap, 'refund_after_receipt_high_value')).toEqual([]);
  });

  it('writes an order.flagged message to the outbox with each flag it raises', async () => {
    await t.http
      .post('/v1/webhooks')
      .set(acme.auth)
      .send({ url: 'http://127.0.0.1:9/hook', types: ['order.flagged'] })
      .expect(201);
    const backdated = await createOrder(acme, { at: new Date(Date.now() - 3 * 86_400_000).toISOString() });
    await waitEventsEvaluated(t);
    const [flag] = await flagsOfOrder(acme, backdated, 'backdated');
    expect(flag).toBeDefined();
    const rows = await t.dataSource.query<{ payload: string }[]>(`SELECT payload FROM webhook_messages WHERE type = 'order.flagged'`);
    const messages = rows.map((r) => JSON.parse(r.payload) as { type: string; data: RaisedFlag });
    expect(messages.filter((m) => m.data.order === backdated)).toEqual([
      { type: 'order.flagged', timestamp: expect.any(String), data: flag },
    ]);
    // Nothing for a flag raised before the endpoint existed, nor for another brand's.
    expect(messages.some((m) => burst.includes(m.data.order))).toBe(false);
  });

  it('pages the feed in the order flags were raised, and shows each key only what it may read', async () => {
    const all = await feed(acme.auth, 100);
    expect(all.length).toBeGreaterThan(3);
    expect((await feed(acme.auth, 1)).map((f) => f.id)).toEqual(all.map((f) => f.id));
    expect(all.map((f) => Number(f.id))).toEqual([...all.map((f) => Number(f.id))].sort((a, b) => a - b));
    const tail = await t.http
      .get(`/v1/flags?after=${all[all.length - 2].id}`)
      .set(acme.auth)
      .expect(200);
    expect(tail.body).toEqual({ items: [all[all.length - 1]], next: null });
    expect(Object.keys(all[0])).toEqual(['id', 'rule', 'severity', 'order', 'seqs', 'explanation', 'raisedAt']);

    // An auditor sees the flags of the orders its grants open: one order of acme, then all of them.
    const auditor = (
      await t.http
        .post('/v1/keys')
        .set(admin())
        .send({ roles: ['auditor'] })
        .expect(201)
    ).body as { id: string; key: string };
    const auditorAuth = { Authorization: `Bearer ${auditor.key}` };
    expect(await feed(auditorAuth)).toEqual([]);
    await t.http.post('/v1/grants').set(acme.auth).send({ key: auditor.id, order: burst[0] }).expect(201);
    expect(await feed(auditorAuth)).toEqual(all.filter((f) => f.order === burst[0]));
    await t.http.post('/v1/grants').set(acme.auth).send({ key: auditor.id, brand: acme.id }).expect(201);
    expect(await feed(auditorAuth)).toEqual(all);
    expect((await feed(other.auth)).some((f) => all.some((a) => a.id === f.id))).toBe(false);

    for (const query of ['after=-1', 'after=abc', 'after=99999999999999999999', 'limit=0', 'limit=501']) {
      const res = await t.http.get(`/v1/flags?${query}`).set(acme.auth).expect(400);
      expect(JSON.stringify(res.body)).toContain(query.split('=')[0]);
    }
  });

  it('deletes an order’s blind-index rows on erasure, and keeps its flags', async () => {
    const order = burst[1];
    const indexed = async (): Promise<number> =>
      Number(
        (await t.dataSource.query<{ n: string }[]>(`SELECT count(*) AS n FROM order_contact_index WHERE order_id = $1`, [order]))[0].n,
      );
    expect(await indexed()).toBe(2);
    await t.http.post(`/v1/orders/${order}/erase`).set(acme.auth).expect(200);
    expect(await indexed()).toBe(0);
    // Later events of the erased order index nothing again.
    await append(acme, order, 'paid');
    await waitEventsEvaluated(t);
    expect(await indexed()).toBe(0);
    expect(await flagsOfOrder(acme, order, 'order_burst_same_contact')).toHaveLength(1);
  });

  it('computes rows of a replaced blind-index key again from the values that still open', async () => {
    const order = burst[2];
    const rowsOf = (): Promise<{ kind: string; digest: string; key_id: string }[]> =>
      t.dataSource.query(
        `SELECT kind, encode(digest, 'hex') AS digest, key_id FROM order_contact_index WHERE order_id = $1 ORDER BY kind`,
        [order],
      );
    const before = await rowsOf();
    expect(before.map((r) => r.kind)).toEqual(['address', 'phone']);
    await t.dataSource.query(`UPDATE order_contact_index SET key_id = 'replaced', digest = '\\x00' WHERE order_id = $1`, [order]);
    await waitFor('the stale rows to be computed again', async () => (await rowsOf()).every((r) => r.key_id !== 'replaced'), 30_000, 50);
    expect(await rowsOf()).toEqual(before);
  });
});

describe('the evaluator on the embedded database', () => {
  let embedded: TestApp;

  beforeAll(async () => {
    embedded = await startTestApp({ driver: 'pglite', env: { FLAG_EVALUATOR_POLL_MS: '50' } });
  });
  afterAll(async () => {
    await embedded?.close();
  });

  it('raises flags and indexes contacts through its one session', async () => {
    const brand = await createBrand(embedded, 'eval-embedded');
    const reference = `EV-${randomBytes(5).toString('hex')}`;
    const created = await embedded.http
      .post('/v1/orders')
      .set(brand.auth)
      .send({ reference, at: new Date(Date.now() - 3 * 86_400_000).toISOString(), ...phoneOrder('+49 30 1234567') })
      .expect(201);
    const order = created.body.id as string;
    const flags = await waitFor(
      'the backdated flag in the feed',
      async () => {
        const items = (await embedded.http.get('/v1/flags').set(brand.auth).expect(200)).body.items as RaisedFlag[];
        return items.length > 0 ? items : undefined;
      },
      30_000,
      50,
    );
    expect(flags).toEqual([expect.objectContaining({ rule: 'backdated', order, seqs: [1] })]);
    const [{ n }] = await embedded.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM order_contact_index WHERE order_id = $1`,
      [order],
    );
    expect(n).toBe(2);
  });
});
