/**
 * Locking the order heads of a write group must read only the orders it names, however many the
 * table holds: every write group runs it. Checked on real PostgreSQL with the migrated schema and
 * a table of many orders, through the plan PostgreSQL actually ran.
 */
import type { DataSource } from 'typeorm';
import { openDataSource } from '../../server/database/data-source-options';
import { LOCK_HEADS_SQL } from '../../server/orders/orders.repository';
import { createTestDatabase, type TestDatabase } from '../support/database';

jest.setTimeout(120_000);

const ORDERS = 50_000;
const BRAND = '00000000-0000-4000-8000-000000000001';
const OTHER_BRAND = '00000000-0000-4000-8000-000000000002';

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Actual Rows': number;
  'Actual Loops': number;
  'Rows Removed by Filter'?: number;
  Plans?: PlanNode[];
}

function nodesOf(node: PlanNode): PlanNode[] {
  return [node, ...(node.Plans ?? []).flatMap(nodesOf)];
}

describe('locking order heads', () => {
  let db: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase();
    dataSource = await openDataSource({ driver: 'postgres', url: db.url, poolSize: 1 });
    await dataSource.query(`INSERT INTO brands (id, slug, name) VALUES ($1, 'locks', 'Locks'), ($2, 'other', 'Other')`, [
      BRAND,
      OTHER_BRAND,
    ]);
    await dataSource.query(
      `INSERT INTO orders (id, brand_id, reference, status)
       SELECT 'ord_' || lpad(g::text, 8, '0'), CASE WHEN g % 2 = 0 THEN $1::uuid ELSE $2::uuid END, 'R-' || g, 'created'
         FROM generate_series(1, $3::int) AS g`,
      [BRAND, OTHER_BRAND, ORDERS],
    );
    await dataSource.query('ANALYZE orders');
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  async function lock(ids: string[], references: [string, string][]): Promise<{ ids: string[]; plan: PlanNode }> {
    const params = [JSON.stringify(ids), JSON.stringify(references)];
    const runner = dataSource.createQueryRunner();
    await runner.startTransaction();
    try {
      const rows = (await runner.query(LOCK_HEADS_SQL, params)) as { id: string }[];
      const [explained] = (await runner.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${LOCK_HEADS_SQL}`, params)) as {
        'QUERY PLAN': { Plan: PlanNode }[];
      }[];
      return { ids: rows.map((r) => r.id), plan: explained['QUERY PLAN'][0].Plan };
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  }

  it('finds the orders named by id and by brand and reference, in id order, and no other', async () => {
    const { ids } = await lock(
      ['ord_00000010', 'ord_00000003', 'ord_99999999'],
      [
        [BRAND, 'R-40000'],
        [BRAND, 'R-7'], // R-7 is the other brand's
        [OTHER_BRAND, 'R-7'],
        [BRAND, 'R-10'], // named twice: by id and by reference
      ],
    );
    expect(ids).toEqual(['ord_00000003', 'ord_00000007', 'ord_00000010', 'ord_00040000']);
  });

  it(`reads only the orders it names out of ${ORDERS.toLocaleString('en')}, by index`, async () => {
    const ids = Array.from({ length: 20 }, (_, i) => `ord_${String(1000 * (i + 1)).padStart(8, '0')}`);
    const references = Array.from({ length: 20 }, (_, i): [string, string] => [BRAND, `R-${2 * (i + 1) * 997}`]);
    const { ids: locked, plan } = await lock(ids, references);
    expect(locked).toHaveLength(40);
    const nodes = nodesOf(plan);
    const onOrders = nodes.filter((n) => n['Relation Name'] === 'orders');
    expect(onOrders.map((n) => n['Node Type'])).not.toContain('Seq Scan');
    // Each scan of orders returns the rows it was asked for, not the table filtered down to them.
    for (const n of onOrders) {
      expect(n['Actual Rows'] * n['Actual Loops']).toBeLessThanOrEqual(40);
      expect(n['Rows Removed by Filter'] ?? 0).toBeLessThanOrEqual(40);
    }
  });
});
