/**
 * The batch positions the order writer's statement assigns, on real PostgreSQL, against a model:
 * from random ingest heads (including a head beyond a lowered maximum) and group sizes, every event
 * gets the next position in order, and the head ends where the model says.
 */
import fc from 'fast-check';
import type { DataSource } from 'typeorm';
import { openDataSource } from '../../server/database/data-source-options';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { modelBatchPositions, writeTestEvents } from '../support/group-writes';

jest.setTimeout(120_000);

describe('batch positions assigned at ingest', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let orders = 0;

  beforeAll(async () => {
    db = await createTestDatabase();
    dataSource = await openDataSource({ driver: 'postgres', url: db.url, poolSize: 2 });
    await dataSource.query(`INSERT INTO brands (id, slug, name) VALUES (gen_random_uuid(), 'positions', 'Positions')`);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  const write = async (head: { openBatch: number; nextIndex: number }, count: number, maxEvents: number) => {
    await dataSource.query(`UPDATE ingest_head SET open_batch = $1, next_index = $2 WHERE id = 1`, [head.openBatch, head.nextIndex]);
    const orderId = `ord_pos_${String(++orders).padStart(22, '0')}`;
    await writeTestEvents(dataSource, { orderId, count, createdAt: new Date(), batchMaxEvents: maxEvents });
    const rows = await dataSource.query<{ batch_seq: number; batch_index: number }[]>(
      `SELECT batch_seq, batch_index FROM events WHERE order_id = $1 ORDER BY seq`,
      [orderId],
    );
    const [next] = await dataSource.query<{ open_batch: number; next_index: number }[]>(`SELECT open_batch, next_index FROM ingest_head`);
    return {
      positions: rows.map((r) => ({ batch: Number(r.batch_seq), index: Number(r.batch_index) })),
      next: { openBatch: Number(next.open_batch), nextIndex: Number(next.next_index) },
    };
  };

  it('continues the open batch, opens the next when it is full, and leaves a just-filled batch open', async () => {
    expect(await write({ openBatch: 4, nextIndex: 8 }, 5, 10)).toEqual(modelBatchPositions({ openBatch: 4, nextIndex: 8 }, 5, 10));
    expect(await write({ openBatch: 1, nextIndex: 0 }, 3, 3)).toEqual({
      positions: [
        { batch: 1, index: 0 },
        { batch: 1, index: 1 },
        { batch: 1, index: 2 },
      ],
      next: { openBatch: 1, nextIndex: 3 },
    });
    // A maximum lowered below what the open batch holds: the next event opens a new batch at once.
    expect(await write({ openBatch: 2, nextIndex: 50 }, 1, 10)).toEqual({
      positions: [{ batch: 3, index: 0 }],
      next: { openBatch: 3, nextIndex: 1 },
    });
  });

  it('agrees with the model for any head, group size and maximum', async () => {
    // Batches already used by earlier cases stay clear of the generated ones.
    let base = 1_000;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: 1, max: 120 }),
        async (max, next, count) => {
          base += 200;
          const head = { openBatch: base, nextIndex: next };
          expect(await write(head, count, max)).toEqual(modelBatchPositions(head, count, max));
        },
      ),
      { numRuns: 60 },
    );
  });
});
