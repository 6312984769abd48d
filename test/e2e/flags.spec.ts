/**
 * GET /v1/orders/{id}/flags on real PostgreSQL: a tracking number shared by two of a brand's orders
 * flags both, never an order of another brand, and a backdated event shows with its evidence.
 */
import { createBrand, startTestApp, type TestApp, type TestBrand } from '../support/app';

interface Flag {
  rule: string;
  severity: string;
  order: string;
  seqs: number[];
  explanation: { en: string; 'zh-CN': string };
}

describe('GET /v1/orders/{id}/flags', () => {
  let t: TestApp;
  let acme: TestBrand;
  let other: TestBrand;

  beforeAll(async () => {
    t = await startTestApp();
    [acme, other] = [await createBrand(t, 'flag-acme'), await createBrand(t, 'flag-other')];
  });
  afterAll(async () => {
    await t?.close();
  });

  const shippedOrder = async (brand: TestBrand, reference: string, trackingNo: string, createdAt?: string): Promise<string> => {
    const id = (
      await t.http
        .post('/v1/orders')
        .set(brand.auth)
        .send({ reference, ...(createdAt === undefined ? {} : { at: createdAt }) })
        .expect(201)
    ).body.id as string;
    for (const type of ['paid', 'packed']) await t.http.post(`/v1/orders/${id}/events`).set(brand.auth).send({ type }).expect(201);
    await t.http
      .post(`/v1/orders/${id}/events`)
      .set(brand.auth)
      .send({ type: 'shipped', data: { carrier: 'SF', trackingNo } })
      .expect(201);
    return id;
  };
  const flagsOf = async (brand: TestBrand, id: string): Promise<Flag[]> => {
    const res = await t.http.get(`/v1/orders/${id}/flags`).set(brand.auth).expect(200);
    expect(res.headers['cache-control']).toBe('no-store');
    return (res.body as { items: Flag[] }).items;
  };

  it('flags a tracking number on two orders of one brand, both ways, and not across brands or on its innocent twin', async () => {
    const first = await shippedOrder(acme, 'F-1', 'SF-SHARED-1');
    const second = await shippedOrder(acme, 'F-2', 'SF-SHARED-1');
    const alone = await shippedOrder(acme, 'F-3', 'SF-ALONE-3');
    const foreign = await shippedOrder(other, 'F-4', 'SF-SHARED-1');

    expect(await flagsOf(acme, first)).toEqual([
      expect.objectContaining({ rule: 'tracking_number_reused', severity: 'high', order: first, seqs: [4] }),
    ]);
    const [flag] = await flagsOf(acme, second);
    expect(flag).toMatchObject({ rule: 'tracking_number_reused', order: second });
    expect(flag.explanation.en).toContain(first);
    expect(flag.explanation.en).not.toContain(foreign);
    expect(flag.explanation['zh-CN']).toContain('运单号 SF-SHARED-1');
    expect(await flagsOf(acme, alone)).toEqual([]);
    expect(await flagsOf(other, foreign)).toEqual([]);
    // Another brand's order does not exist for this key.
    await t.http.get(`/v1/orders/${foreign}/flags`).set(acme.auth).expect(404);
  });

  it('shows a backdated order with the event that shows it', async () => {
    const threeDaysAgo = new Date(Date.now() - 3 * 24 * 3600_000).toISOString();
    const id = await shippedOrder(acme, 'F-5', 'SF-BACK-5', threeDaysAgo);
    const flags = await flagsOf(acme, id);
    expect(flags).toEqual([expect.objectContaining({ rule: 'backdated', seqs: [1] })]);
    // Its next events are dated now, after the backdated one: in time order.
    expect(flags.some((f) => f.rule === 'out_of_time_order')).toBe(false);
  });
});
