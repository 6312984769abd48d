import { createBrand, startTestApp, type TestApp, type TestBrand } from '../support/app';

// GET /v1/stats and the order search of the brand console, on real PostgreSQL, over orders whose
// creation times and event times are known: every expected figure is computed here from the
// seeded orders, independently of the service's SQL.

interface SeededOrder {
  reference: string;
  /** When the order counts as created (orders.created_at). */
  createdAt: string;
  promisedDelivery?: string;
  /** Events after `created`, with their `at`. */
  events: [type: string, at: string][];
}

const SEEDED: SeededOrder[] = [
  {
    reference: 'PO-1001',
    createdAt: '2026-09-30T16:00:00.000Z',
    promisedDelivery: '2026-10-02',
    events: [
      ['paid', '2026-10-01T01:00:00.000Z'],
      ['packed', '2026-10-01T05:00:00.000Z'],
      ['shipped', '2026-10-01T09:00:00.000Z'],
      ['delivered', '2026-10-02T01:00:00.000Z'],
      ['received', '2026-10-02T08:00:00.000Z'],
    ],
  },
  // One second before 1 October in Shanghai, the first day of the range there; in UTC it is inside.
  {
    reference: 'PO-1002',
    createdAt: '2026-09-30T15:59:59.000Z',
    events: [
      ['paid', '2026-09-30T16:30:00.000Z'],
      ['packed', '2026-09-30T17:00:00.000Z'],
      ['shipped', '2026-09-30T18:00:00.000Z'],
      ['delivered', '2026-10-01T18:00:00.000Z'],
    ],
  },
  // Received by the consumer without a carrier delivery before it.
  {
    reference: 'PO-1003',
    createdAt: '2026-10-01T10:00:00.000Z',
    promisedDelivery: '2026-10-03',
    events: [
      ['paid', '2026-10-01T10:30:00.000Z'],
      ['packed', '2026-10-01T12:00:00.000Z'],
      ['shipped', '2026-10-02T00:00:00.000Z'],
      ['received', '2026-10-03T10:30:00.000Z'],
    ],
  },
  // Delivered at 00:30 on 6 October in Shanghai, still 5 October in UTC: late there, on time here.
  {
    reference: 'PO-2001',
    createdAt: '2026-10-02T03:00:00.000Z',
    promisedDelivery: '2026-10-05',
    events: [
      ['paid', '2026-10-02T03:00:00.000Z'],
      ['packed', '2026-10-02T04:00:00.000Z'],
      ['shipped', '2026-10-03T04:00:00.000Z'],
      ['in_transit', '2026-10-04T04:00:00.000Z'],
      ['delivered', '2026-10-05T16:30:00.000Z'],
    ],
  },
  {
    reference: 'PO-2002',
    createdAt: '2026-10-02T20:00:00.000Z',
    events: [
      ['paid', '2026-10-03T00:00:00.000Z'],
      ['cancelled', '2026-10-03T01:00:00.000Z'],
      ['refunded', '2026-10-03T02:00:00.000Z'],
    ],
  },
  { reference: 'PO_3001', createdAt: '2026-10-03T15:59:00.000Z', promisedDelivery: '2026-10-10', events: [] },
  { reference: 'PO%3002', createdAt: '2026-10-03T16:00:00.000Z', events: [['paid', '2026-10-03T16:10:00.000Z']] },
  // A promise not of the form YYYY-MM-DD is no promise.
  {
    reference: 'PO-4001',
    createdAt: '2026-10-01T05:00:00.000Z',
    promisedDelivery: 'soon',
    events: [
      ['paid', '2026-10-01T06:00:00.000Z'],
      ['packed', '2026-10-01T06:20:00.000Z'],
      ['shipped', '2026-10-01T06:40:00.000Z'],
      ['delivered', '2026-10-01T07:00:00.000Z'],
      ['return_requested', '2026-10-01T09:00:00.000Z'],
      ['returned', '2026-10-02T09:00:00.000Z'],
      ['refunded', '2026-10-02T10:00:00.000Z'],
    ],
  },
  {
    reference: 'PO-4002',
    createdAt: '2026-10-02T05:00:00.000Z',
    promisedDelivery: '2026-10-01',
    events: [
      ['paid', '2026-10-02T05:00:00.000Z'],
      ['packed', '2026-10-02T05:00:10.000Z'],
      ['shipped', '2026-10-02T05:00:20.000Z'],
      ['delivered', '2026-10-02T05:00:30.000Z'],
    ],
  },
];

const FUNNEL: [stage: string, types: string[]][] = [
  ['created', ['created']],
  ['paid', ['paid']],
  ['packed', ['packed']],
  ['shipped', ['shipped']],
  ['delivered', ['delivered', 'received']],
  ['received', ['received']],
  ['cancelled', ['cancelled']],
  ['returned', ['returned']],
  ['refunded', ['refunded']],
];

/** The calendar day of an instant in a time zone, YYYY-MM-DD. */
function dayIn(tz: string, instant: string): string {
  const parts = new Intl.DateTimeFormat('en', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(
    new Date(instant),
  );
  const part = (type: string) => parts.find((p) => p.type === type)!.value;
  return `${part('year')}-${part('month')}-${part('day')}`;
}

function daysFrom(from: string, to: string): string[] {
  const days: string[] = [];
  for (let d = Date.parse(`${from}T00:00:00Z`); d <= Date.parse(`${to}T00:00:00Z`); d += 86_400_000) {
    days.push(new Date(d).toISOString().slice(0, 10));
  }
  return days;
}

/** The continuous percentile: linear interpolation between the two nearest ranks. */
function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const pos = p * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

function firstAt(order: SeededOrder, types: string[]): number | null {
  const times = order.events.filter(([type]) => types.includes(type)).map(([, at]) => Date.parse(at));
  return times.length === 0 ? null : Math.min(...times);
}

function expectedStats(tz: string, from: string, to: string) {
  const inRange = SEEDED.filter((o) => {
    const day = dayIn(tz, o.createdAt);
    return day >= from && day <= to;
  });
  const durations = inRange
    .map((o) => {
      const paid = firstAt(o, ['paid']);
      const delivered = firstAt(o, ['delivered', 'received']);
      return paid === null || delivered === null ? null : (delivered - paid) / 1000;
    })
    .filter((s): s is number => s !== null)
    .sort((a, b) => a - b);
  const promised = inRange.filter((o) => /^\d{4}-\d{2}-\d{2}$/.test(o.promisedDelivery ?? '') && firstAt(o, ['delivered', 'received']));
  const onTime = promised.filter((o) => dayIn(tz, new Date(firstAt(o, ['delivered', 'received'])!).toISOString()) <= o.promisedDelivery!);
  return {
    ordersPerDay: daysFrom(from, to).map((date) => ({ date, orders: inRange.filter((o) => dayIn(tz, o.createdAt) === date).length })),
    funnel: FUNNEL.map(([stage, types]) => ({
      stage,
      orders: inRange.filter((o) => types.includes('created') || o.events.some(([type]) => types.includes(type))).length,
    })),
    paidToDelivered: { orders: durations.length, median: percentile(durations, 0.5), p95: percentile(durations, 0.95) },
    onTime: { promised: promised.length, onTime: onTime.length },
  };
}

describe('GET /v1/stats and the order search (real PostgreSQL)', () => {
  let t: TestApp;
  let brand: TestBrand;
  let other: TestBrand;
  const ids = new Map<string, string>();

  async function seed(b: TestBrand, order: SeededOrder): Promise<string> {
    const created = await t.http
      .post('/v1/orders')
      .set(b.auth)
      .send({
        reference: order.reference,
        at: order.createdAt,
        data: order.promisedDelivery === undefined ? {} : { promisedDelivery: order.promisedDelivery },
      })
      .expect(201);
    const id = created.body.id as string;
    for (const [type, at] of order.events) {
      await t.http.post(`/v1/orders/${id}/events`).set(b.auth).send({ type, at }).expect(201);
    }
    // Orders are created now; the figures count them by when they were created, so the seed sets that.
    await t.dataSource.query(`UPDATE orders SET created_at = $2 WHERE id = $1`, [id, order.createdAt]);
    return id;
  }

  beforeAll(async () => {
    t = await startTestApp();
    brand = await createBrand(t, 'tea-house', ['brand:read', 'brand:write']);
    other = await createBrand(t, 'outfitter');
    for (const order of SEEDED) ids.set(order.reference, await seed(brand, order));
    // Another brand's order on the same days never counts.
    await seed(other, { ...SEEDED[0], reference: 'PO-1001' });
  });

  afterAll(async () => {
    await t?.close();
  });

  it.each([
    ['Asia/Shanghai', '2026-10-01', '2026-10-03'],
    ['UTC', '2026-09-30', '2026-10-03'],
    ['America/New_York', '2026-10-01', '2026-10-02'],
  ])('counts the orders created in %s from %s to %s, figure by figure', async (tz, from, to) => {
    const expected = expectedStats(tz, from, to);
    const res = await t.http.get('/v1/stats').query({ from, to, tz }).set(brand.auth).expect(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const body = res.body;
    expect(body).toMatchObject({ from, to, tz });
    expect(body.ordersPerDay).toEqual(expected.ordersPerDay);
    expect(body.funnel).toEqual(expected.funnel);
    expect(body.paidToDelivered.orders).toBe(expected.paidToDelivered.orders);
    expect(body.paidToDelivered.orders).toBeGreaterThan(1);
    expect(body.paidToDelivered.medianSeconds).toBeCloseTo(expected.paidToDelivered.median!, 6);
    expect(body.paidToDelivered.p95Seconds).toBeCloseTo(expected.paidToDelivered.p95!, 6);
    expect(body.onTime).toEqual({
      promised: expected.onTime.promised,
      onTime: expected.onTime.onTime,
      share: expected.onTime.onTime / expected.onTime.promised,
    });
  });

  it('judges a promised day in the time zone asked for', async () => {
    const shanghai = (await t.http.get('/v1/stats?from=2026-10-01&to=2026-10-03&tz=Asia/Shanghai').set(brand.auth).expect(200)).body;
    const utc = (await t.http.get('/v1/stats?from=2026-09-30&to=2026-10-03&tz=UTC').set(brand.auth).expect(200)).body;
    // PO-2001 arrived at 00:30 on the 6th in Shanghai and on the 5th in UTC, the day it was promised for.
    expect(shanghai.onTime).toEqual({ promised: 4, onTime: 2, share: 0.5 });
    expect(utc.onTime).toEqual({ promised: 4, onTime: 3, share: 0.75 });
  });

  it('answers zeros and nulls for a range without orders, and the anchoring state', async () => {
    const body = (await t.http.get('/v1/stats?from=2026-01-01&to=2026-01-02').set(brand.auth).expect(200)).body;
    expect(body.tz).toBe('UTC');
    expect(body.ordersPerDay).toEqual([
      { date: '2026-01-01', orders: 0 },
      { date: '2026-01-02', orders: 0 },
    ]);
    expect(body.funnel.every((s: { orders: number }) => s.orders === 0)).toBe(true);
    expect(body.paidToDelivered).toEqual({ orders: 0, medianSeconds: null, p95Seconds: null });
    expect(body.onTime).toEqual({ promised: 0, onTime: 0, share: null });
    // Anchoring is off in this app: no balance to show.
    expect(body.anchoring).toMatchObject({ enabled: false, balance: null, balanceLow: false, daysLeft: null });
  });

  it('defaults to the last 30 days up to today in the time zone', async () => {
    const body = (await t.http.get('/v1/stats?tz=Asia/Shanghai').set(brand.auth).expect(200)).body;
    expect(body.ordersPerDay).toHaveLength(30);
    expect(body.to).toBe(dayIn('Asia/Shanghai', new Date().toISOString()));
    expect(body.ordersPerDay[29].date).toBe(body.to);
    expect(body.from).toBe(body.ordersPerDay[0].date);
  });

  it.each([
    ['tz=Mars/Olympus', 'tz'],
    ['tz=%27%3B%20SELECT%201', 'tz'],
    ['from=2026-02-30&to=2026-03-01', 'from'],
    ['from=2026-10-05&to=2026-10-01', 'from'],
    ['from=2025-01-01&to=2026-10-01', 'from'],
    ['to=yesterday', 'to'],
    ['from=2026-1-1&to=2026-01-02', 'from'],
  ])('refuses %s with a problem naming %s', async (query, field) => {
    const res = await t.http.get(`/v1/stats?${query}`).set(brand.auth).expect(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect((res.body.errors as { field: string }[]).map((e) => e.field)).toContain(field);
  });

  it('is refused to a key without brand:read', async () => {
    const writer = await createBrand(t, 'writer-only', ['brand:write']);
    await t.http.get('/v1/stats').set(writer.auth).expect(403);
  });

  describe('GET /v1/orders?referencePrefix=', () => {
    async function references(query: string): Promise<string[]> {
      const res = await t.http.get(`/v1/orders?${query}`).set(brand.auth).expect(200);
      return (res.body.items as { reference: string }[]).map((o) => o.reference).sort();
    }

    it('finds the orders whose reference begins with the prefix', async () => {
      expect(await references('referencePrefix=PO-1')).toEqual(['PO-1001', 'PO-1002', 'PO-1003']);
      expect(await references('referencePrefix=PO-2001')).toEqual(['PO-2001']);
      expect(await references('referencePrefix=XX')).toEqual([]);
    });

    it('matches LIKE wildcards in the prefix as themselves', async () => {
      expect(await references(`referencePrefix=${encodeURIComponent('PO_')}`)).toEqual(['PO_3001']);
      expect(await references(`referencePrefix=${encodeURIComponent('PO%')}`)).toEqual(['PO%3002']);
    });

    it('combines with the state filter and pages newest first', async () => {
      expect(await references('referencePrefix=PO-&status=refunded')).toEqual(['PO-2002', 'PO-4001']);
      const first = await t.http.get('/v1/orders?referencePrefix=PO-&limit=2').set(brand.auth).expect(200);
      expect(first.body.items).toHaveLength(2);
      const second = await t.http
        .get(`/v1/orders?referencePrefix=PO-&limit=10&cursor=${encodeURIComponent(first.body.nextCursor as string)}`)
        .set(brand.auth)
        .expect(200);
      const all = [...first.body.items, ...second.body.items].map((o: { reference: string }) => o.reference);
      expect(all.sort()).toEqual(
        SEEDED.map((o) => o.reference)
          .filter((r) => r.startsWith('PO-'))
          .sort(),
      );
      expect(second.body.nextCursor).toBeNull();
    });

    it("never shows another brand's orders", async () => {
      const res = await t.http.get('/v1/orders?referencePrefix=PO-1001').set(other.auth).expect(200);
      expect(res.body.items.map((o: { id: string }) => o.id)).not.toContain(ids.get('PO-1001'));
      expect(res.body.items).toHaveLength(1);
    });
  });
});
