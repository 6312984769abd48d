/**
 * The write path's prepared statements keep the plans PostgreSQL made for them, and a plan made
 * while the orders table was small reads the whole table once the table has grown. The service
 * analyzes the table itself as its own creations grow it: each time they reach the count of the
 * last analysis. Checked on real PostgreSQL through its statistics views.
 */
import { OrdersTableStatistics } from '../../server/orders/orders-table-statistics';
import { createBrand, startTestApp, type TestApp, type TestBrand } from '../support/app';

jest.setTimeout(120_000);

describe('statistics of a growing orders table', () => {
  let t: TestApp;
  let brand: TestBrand;
  let created = 0;

  beforeAll(async () => {
    t = await startTestApp();
    brand = await createBrand(t);
  });

  afterAll(async () => {
    await t?.close();
  });

  async function createOrders(count: number): Promise<void> {
    for (let done = 0; done < count; done += 1_000) {
      const items = Array.from({ length: Math.min(1_000, count - done) }, () => ({ order: { reference: `G-${created++}` } }));
      const res = await t.http.post('/v1/bulk').set(brand.auth).send({ items }).expect(200);
      expect((res.body as { items: { status: number }[] }).items.every((item) => item.status === 201)).toBe(true);
    }
    await t.app.get(OrdersTableStatistics).settled();
  }

  /** Analyses run by a statement (autovacuum's are counted apart), and the planner's row estimate. */
  async function analyzed(): Promise<{ times: number; estimate: number }> {
    const [row] = await t.database!.query<{ analyze_count: string; reltuples: number }>(
      `SELECT s.analyze_count, c.reltuples FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid WHERE s.relname = 'orders'`,
    );
    return { times: Number(row.analyze_count), estimate: Number(row.reltuples) };
  }

  it('analyzes the table after its first thousand orders, then each time the orders it created double it', async () => {
    const before = await analyzed();
    await createOrders(999);
    expect((await analyzed()).times).toBe(before.times);
    await createOrders(1);
    expect(await analyzed()).toEqual({ times: before.times + 1, estimate: 1_000 });
    await createOrders(999);
    expect((await analyzed()).times).toBe(before.times + 1);
    await createOrders(1);
    expect(await analyzed()).toEqual({ times: before.times + 2, estimate: 2_000 });
  });

  it('gives up an analysis that waits for the table, instead of holding a pooled connection, and analyzes once as many orders more are created', async () => {
    const before = await analyzed();
    // A session holding the lock ANALYZE needs (as a vacuum that does not yield would).
    const holder = t.dataSource.createQueryRunner();
    await holder.connect();
    try {
      await holder.startTransaction();
      await holder.query('LOCK TABLE orders IN SHARE UPDATE EXCLUSIVE MODE');
      const started = Date.now();
      await createOrders(2_000);
      expect(Date.now() - started).toBeLessThan(15_000);
      expect((await analyzed()).times).toBe(before.times);
    } finally {
      await holder.rollbackTransaction();
      await holder.release();
    }
    // Counted afresh from the failure: due again once 2,000 more (the count of the last analysis) are created.
    await createOrders(1_999);
    expect((await analyzed()).times).toBe(before.times);
    await createOrders(1);
    expect(await analyzed()).toEqual({ times: before.times + 1, estimate: 6_000 });
  });
});
