/**
 * Queries that run for every write group or every evaluated event must read only the rows they
 * are about, however many the tables hold: locking a group's order heads, reading the orders the
 * flag evaluator's page of events touches, and finding the orders that share a tracking number. Checked on real PostgreSQL with the migrated schema and tables of
 * many rows, through the plans PostgreSQL actually ran. The write path's statements are prepared
 * once per connection, so PostgreSQL may settle on a generic plan for them: it must read by index too.
 */
import type { DataSource } from 'typeorm';
import { openDataSource } from '../../server/database/data-source-options';
import {
  EVALUATED_EVENTS_SQL,
  EVALUATED_ORDERS_SQL,
  FlagsRepository,
  TRACKING_NUMBER_HOLDERS_SQL,
} from '../../server/flags/flags.repository';
import { SqlExecutor } from '../../server/database/sql-executor';
import { TRACKING_NUMBER_FIELDS } from '../../server/flags/order-flags';
import { LOCK_HEADS_SQL, WRITE_GROUP_SQL } from '../../server/orders/orders.repository';
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
  'Rows Removed by Join Filter'?: number;
  Plans?: PlanNode[];
}

/** Whether a plan node reads a whole table (a parallel scan included). */
function scansWholeTable(node: PlanNode): boolean {
  return node['Node Type'].includes('Seq Scan');
}

/** Rows a node looked at and threw away. */
function removed(node: PlanNode): number {
  return (node['Rows Removed by Filter'] ?? 0) + (node['Rows Removed by Join Filter'] ?? 0);
}

function nodesOf(node: PlanNode): PlanNode[] {
  return [node, ...(node.Plans ?? []).flatMap(nodesOf)];
}

describe('hot queries at scale', () => {
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
    // One event per order; every fifth carries a tracking number, under each field name in turn.
    await dataSource.query(
      `INSERT INTO events (order_id, seq, type, record, leaf, batch_seq, batch_index)
       SELECT 'ord_' || lpad(g::text, 8, '0'), 1, 'shipped',
              '{"data":{"carrier":"DHL"' || CASE WHEN g % 5 = 0 THEN ',"' || ($1::text[])[1 + (g / 5) % 3] || '":"JD' || g || '"' ELSE '' END || '},"type":"shipped"}',
              '0x00', 0, g
         FROM generate_series(1, $2::int) AS g`,
      [TRACKING_NUMBER_FIELDS, ORDERS],
    );
    // Long histories: orders 40,001 to 40,200 are also scanned in transit 100 times each.
    await dataSource.query(
      `INSERT INTO events (order_id, seq, type, record, leaf, batch_seq, batch_index)
       SELECT 'ord_' || lpad((40000 + o)::text, 8, '0'), 1 + s, 'in_transit', '{"data":{"scan":"' || s || '"},"type":"in_transit"}',
              '0x00', 1, o * 1000 + s
         FROM generate_series(1, 200) AS o, generate_series(1, 100) AS s`,
    );
    await dataSource.query('ANALYZE orders');
    await dataSource.query('ANALYZE events');
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  /**
   * LOCK_HEADS_SQL run and explained in a rolled-back transaction; `generic`: as a prepared statement
   * on the plan PostgreSQL makes without looking at the values, as it may settle on after a few runs.
   */
  async function lock(ids: string[], references: [string, string][], generic = false): Promise<{ ids: string[]; plan: PlanNode }> {
    const params = [JSON.stringify(ids), JSON.stringify(references)];
    const runner = dataSource.createQueryRunner();
    await runner.startTransaction();
    try {
      const rows = (await runner.query(LOCK_HEADS_SQL, params)) as { id: string }[];
      let explain = `EXPLAIN (ANALYZE, FORMAT JSON) ${LOCK_HEADS_SQL}`;
      if (generic) {
        await runner.query(`SET LOCAL plan_cache_mode = force_generic_plan`);
        await runner.query(`PREPARE lock_heads_generic AS ${LOCK_HEADS_SQL}`);
        // EXECUTE takes its values as literals, not as parameters of the statement around it.
        const literal = (text: string): string => `'${text.replace(/'/g, "''")}'`;
        explain = `EXPLAIN (ANALYZE, FORMAT JSON) EXECUTE lock_heads_generic(${params.map(literal).join(', ')})`;
      }
      const [explained] = (await runner.query(explain, generic ? [] : params)) as {
        'QUERY PLAN': { Plan: PlanNode }[];
      }[];
      return { ids: rows.map((r) => r.id), plan: explained['QUERY PLAN'][0].Plan };
    } finally {
      await runner.rollbackTransaction();
      if (generic) await runner.query(`DEALLOCATE lock_heads_generic`);
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

  it.each([
    ['its own', false],
    ['a generic', true],
  ])(`reads only the orders it names out of ${ORDERS.toLocaleString('en')}, by index, on %s plan`, async (_plan, generic) => {
    const ids = Array.from({ length: 20 }, (_, i) => `ord_${String(1000 * (i + 1)).padStart(8, '0')}`);
    const references = Array.from({ length: 20 }, (_, i): [string, string] => [BRAND, `R-${2 * (i + 1) * 997}`]);
    const { ids: locked, plan } = await lock(ids, references, generic);
    expect(locked).toHaveLength(40);
    const nodes = nodesOf(plan);
    const onOrders = nodes.filter((n) => n['Relation Name'] === 'orders');
    expect(onOrders.filter(scansWholeTable)).toEqual([]);
    // Each scan of orders returns the rows it was asked for, not the table filtered down to them.
    for (const n of onOrders) {
      expect(n['Actual Rows'] * n['Actual Loops']).toBeLessThanOrEqual(40);
      expect(removed(n)).toBeLessThanOrEqual(40);
    }
    // Nothing else in the plan throws away more than a few rows either.
    for (const n of nodes) expect(removed(n)).toBeLessThanOrEqual(40);
  });

  it('writes a group on a generic plan without reading whole tables', async () => {
    const runner = dataSource.createQueryRunner();
    await runner.startTransaction();
    try {
      await runner.query(`SET LOCAL plan_cache_mode = force_generic_plan`);
      await runner.query(`PREPARE write_group_generic AS ${WRITE_GROUP_SQL}`);
      // The plan only: EXPLAIN without ANALYZE writes nothing.
      const [explained] = (await runner.query(`EXPLAIN (FORMAT JSON) EXECUTE write_group_generic('[]', '[]', '[]', 10000, 0)`)) as {
        'QUERY PLAN': { Plan: Omit<PlanNode, 'Actual Rows' | 'Actual Loops'> }[];
      }[];
      const nodes = nodesOf(explained['QUERY PLAN'][0].Plan as PlanNode);
      expect(nodes.some((n) => n['Relation Name'] === 'orders')).toBe(true);
      expect(nodes.filter((n) => n['Relation Name'] !== undefined && n['Relation Name'] !== 'ingest_head' && scansWholeTable(n))).toEqual(
        [],
      );
    } finally {
      await runner.rollbackTransaction();
      await runner.query(`DEALLOCATE write_group_generic`);
      await runner.release();
    }
  });

  it('finds the orders sharing a tracking number under any of its field names, by index', async () => {
    const flags = new FlagsRepository(dataSource);
    // Orders 10, 15 and 20 carry JD10, JD15 and JD20 under three different field names.
    for (const g of [10, 15, 20]) {
      expect(await flags.ordersWithTrackingNumber(BRAND, `JD${g}`)).toEqual(
        g % 2 === 0 ? [{ orderId: `ord_${String(g).padStart(8, '0')}`, seq: 1 }] : [],
      );
      expect(await flags.ordersWithTrackingNumber(OTHER_BRAND, `JD${g}`)).toEqual(
        g % 2 === 1 ? [{ orderId: `ord_${String(g).padStart(8, '0')}`, seq: 1 }] : [],
      );
    }
    expect(await flags.ordersWithTrackingNumber(BRAND, 'JD11')).toEqual([]);

    const runner = dataSource.createQueryRunner();
    try {
      const sql = TRACKING_NUMBER_HOLDERS_SQL;
      const [explained] = (await runner.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`, [BRAND, 'JD40000'])) as {
        'QUERY PLAN': { Plan: PlanNode }[];
      }[];
      const nodes = nodesOf(explained['QUERY PLAN'][0].Plan);
      const onEvents = nodes.filter((n) => n['Relation Name'] === 'events');
      expect(onEvents.length).toBeGreaterThan(0);
      expect(onEvents.filter(scansWholeTable)).toEqual([]);
      for (const n of onEvents) expect(n['Actual Rows'] * n['Actual Loops']).toBeLessThanOrEqual(10);
      for (const n of nodes) expect(removed(n)).toBeLessThanOrEqual(10);
    } finally {
      await runner.release();
    }
  });

  it("reads the orders of the evaluator's page and the events the rules need in two statements, by index", async () => {
    const flags = new FlagsRepository(dataSource);
    const named = [
      { id: 'ord_00000020', fromSeq: 0, toSeq: 1 },
      { id: 'ord_00000007', fromSeq: 5, toSeq: 6 },
      { id: 'ord_99999999', fromSeq: 0, toSeq: 1 },
    ];
    const orders = await new SqlExecutor(dataSource).transaction((session) => flags.ordersForEvaluation(session, named));
    expect([...orders.keys()].sort()).toEqual(['ord_00000007', 'ord_00000020']);
    expect(orders.get('ord_00000020')).toMatchObject({ brandId: BRAND, erased: false, wrappedKey: null });
    expect(orders.get('ord_00000020')!.events.map((e) => e.record)).toEqual([
      // Order 20's tracking number is under the field name the seeding gives (20 / 5) % 3 = 1.
      { data: { carrier: 'DHL', [TRACKING_NUMBER_FIELDS[1]]: 'JD20' }, type: 'shipped' },
    ]);
    // Before its fromSeq, an order's events are read only when the rules look at their type (shipped).
    expect(orders.get('ord_00000007')!.events).toHaveLength(1);

    // From the middle of long histories: the new events and the one before, the one earlier event the rules need, and none after.
    const wanted = JSON.stringify(
      Array.from({ length: 200 }, (_, i) => ({ id: `ord_${String(40001 + i).padStart(8, '0')}`, from_seq: 90, to_seq: 91 })),
    );
    const long = await new SqlExecutor(dataSource).transaction((session) =>
      flags.ordersForEvaluation(session, [{ id: 'ord_00040001', fromSeq: 90, toSeq: 91 }]),
    );
    expect(long.get('ord_00040001')!.events.map((e) => e.record.type)).toEqual(['shipped', 'in_transit', 'in_transit']);
    for (const sql of [EVALUATED_ORDERS_SQL, EVALUATED_EVENTS_SQL]) {
      const [explained] = await dataSource.query<{ 'QUERY PLAN': { Plan: PlanNode }[] }[]>(`EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`, [
        wanted,
      ]);
      const nodes = nodesOf(explained['QUERY PLAN'][0].Plan);
      const onTables = nodes.filter((n) => n['Relation Name'] === 'orders' || n['Relation Name'] === 'events');
      expect(onTables.length).toBeGreaterThan(0);
      expect(onTables.filter(scansWholeTable)).toEqual([]);
      // Three events an order at most: neither the scans before from_seq nor those after to_seq are visited.
      for (const n of onTables) expect(n['Actual Rows'] * n['Actual Loops']).toBeLessThanOrEqual(600);
      for (const n of nodes) expect(removed(n) * n['Actual Loops']).toBeLessThanOrEqual(200);
    }
  });
});
