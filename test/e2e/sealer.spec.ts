/**
 * BatchSealerService and BatchProofsService against real PostgreSQL: when batches are sealed, that sealing is
 * atomic and never double-seals, and what recomputing a 10,000-leaf batch's proofs costs. Events
 * are inserted by the order writer's own statement, at the batch positions it assigns.
 */
import type { DataSource } from 'typeorm';
import type { Hex } from '../../proof/bytes';
import { useFastKeccak } from '../../proof/fast-keccak';
import { MerkleTree, processProof } from '../../proof/merkle';
import { BatchProofsService } from '../../server/batches/batch-proofs.service';
import { MetricsService } from '../../server/metrics/metrics.service';
import { BatchSealerService } from '../../server/batches/batch-sealer.service';
import { BatchesRepository } from '../../server/batches/batches.repository';
import type { AppConfig } from '../../server/config/app-config';
import { openDataSource } from '../../server/database/data-source-options';
import { waitFor } from '../support/anchoring-fixture';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { writeTestEvents } from '../support/group-writes';

jest.setTimeout(120_000);

describe(BatchSealerService.name, () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let repo: BatchesRepository;
  let orderCount = 0;

  const sealer = (batchMaxEvents: number, batchMaxWaitMs: number): BatchSealerService =>
    new BatchSealerService(repo, { anchoring: { enabled: true, batchMaxEvents, batchMaxWaitMs } } as AppConfig, new MetricsService());

  /**
   * `n` events of a new order, with distinct 32-byte leaves, `ageMs` old, at the batch positions
   * the order writer gives them (batches of `batchMaxEvents`).
   */
  const insertEvents = async (n: number, ageMs: number, batchMaxEvents: number): Promise<void> => {
    const orderId = `ord_${String(++orderCount).padStart(26, '0')}`;
    await writeTestEvents(dataSource, { orderId, count: n, createdAt: new Date(Date.now() - ageMs), batchMaxEvents });
  };

  const batchState = async () => {
    const rows = await db.query<{ seq: number; leaf_count: number; events: number; min_index: number; max_index: number }>(
      `SELECT b.seq, b.leaf_count, count(e.id)::int AS events, min(e.batch_index) AS min_index, max(e.batch_index) AS max_index
         FROM batches b LEFT JOIN events e ON e.batch_seq = b.seq GROUP BY b.seq ORDER BY b.seq`,
    );
    const [{ unsealed }] = await db.query<{ unsealed: number }>(
      `SELECT count(*)::int AS unsealed FROM events e WHERE NOT EXISTS (SELECT 1 FROM batches b WHERE b.seq = e.batch_seq)`,
    );
    return { rows, unsealed };
  };

  beforeAll(async () => {
    // As in the service, which installs the WebAssembly keccak at start.
    await useFastKeccak();
    db = await createTestDatabase();
    dataSource = await openDataSource({ driver: 'postgres', url: db.url, poolSize: 8 });
    repo = new BatchesRepository(dataSource);
    await dataSource.query(`INSERT INTO brands (id, slug, name) VALUES (gen_random_uuid(), 'acme', 'ACME')`);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  beforeEach(async () => {
    await dataSource.query(`DELETE FROM events`);
    await dataSource.query(`DELETE FROM batches`);
    await dataSource.query(`UPDATE ingest_head SET open_batch = 1, next_index = 0`);
  });

  it('seals full batches at once and the remainder only after the maximum wait', async () => {
    await insertEvents(250, 0, 100);
    const inserted = Date.now();
    const s = sealer(100, 1_000);
    const first = await s.sealDue();
    expect(first.map((b) => [b.seq, b.leafCount])).toEqual([
      [1, 100],
      [2, 100],
    ]);
    expect((await batchState()).unsealed).toBe(50);
    expect(await s.sealDue()).toEqual([]);
    const rest = await waitFor('the remainder to be due', async () => {
      const sealed = await s.sealDue();
      return sealed.length > 0 ? sealed : undefined;
    });
    // The age is measured by the database's clock, which may run a little apart from this one.
    expect(Date.now() - inserted).toBeGreaterThanOrEqual(900);
    expect(rest.map((b) => [b.seq, b.leafCount])).toEqual([[3, 50]]);
    const state = await batchState();
    expect(state.unsealed).toBe(0);
    expect(state.rows.map((r) => [r.seq, r.leaf_count, r.events, r.min_index, r.max_index])).toEqual([
      [1, 100, 100, 0, 99],
      [2, 100, 100, 0, 99],
      [3, 50, 50, 0, 49],
    ]);
  });

  it('stores the root of the leaves in batch position order, the same the proof core computes', async () => {
    await insertEvents(37, 10_000, 100);
    const [batch] = await sealer(100, 5_000).sealDue();
    const leaves = (await db.query<{ leaf: string }>(`SELECT leaf FROM events ORDER BY id`)).map((r) => r.leaf as Hex);
    expect(batch.root).toBe(MerkleTree.build(leaves).root);
    expect(await repo.leavesOf(batch.seq)).toEqual(leaves);
  });

  it('never puts an event in two batches when two sealers race', async () => {
    await insertEvents(1_000, 10_000, 50);
    const a = sealer(50, 100);
    const b = sealer(50, 100);
    // Losers of a race fail on the batches primary key or the event check and roll back; the next round continues.
    for (let round = 0; round < 40 && (await batchState()).unsealed > 0; round++) {
      await Promise.allSettled([a.sealDue(), b.sealDue()]);
    }
    const state = await batchState();
    expect(state.unsealed).toBe(0);
    expect(state.rows.map((r) => r.seq)).toEqual(state.rows.map((_, i) => i + 1));
    expect(state.rows.every((r) => r.leaf_count === r.events && r.min_index === 0 && r.max_index === r.events - 1)).toBe(true);
    expect(state.rows.reduce((n, r) => n + r.events, 0)).toBe(1_000);
  });

  it('recomputes the proofs of a 10,000-leaf batch on demand quickly enough to do it per request', async () => {
    await insertEvents(10_000, 10_000, 10_000);
    const sealStarted = performance.now();
    const [batch] = await sealer(10_000, 5_000).sealDue();
    const sealMs = performance.now() - sealStarted;
    expect(batch.leafCount).toBe(10_000);
    await dataSource.query(`UPDATE batches SET status = 'confirmed', tx_hash = $1, block_number = 7, block_hash = $1 WHERE seq = $2`, [
      `0x${'ab'.repeat(32)}`,
      batch.seq,
    ]);
    const ids = (await db.query<{ id: string }>(`SELECT id::text FROM events ORDER BY id`)).map((r) => r.id);
    const sample = [ids[0], ids[1234], ids[5000], ids[9999]];

    const timings: number[] = [];
    for (let run = 0; run < 3; run++) {
      const proofs = new BatchProofsService(repo); // cold cache: read 10,000 leaves and rebuild the tree
      const t0 = performance.now();
      const anchors = await proofs.anchorsFor(sample);
      timings.push(performance.now() - t0);
      for (const id of sample) {
        const anchor = anchors.get(id)!;
        const [{ leaf }] = await db.query<{ leaf: string }>(`SELECT leaf FROM events WHERE id = $1`, [id]);
        expect(processProof(leaf as Hex, anchor.proof)).toBe(batch.root);
        // ceil(log2(10,000)) levels; fewer where an odd node is carried up.
        expect(anchor.proof.length).toBeLessThanOrEqual(14);
      }
    }
    const warm = new BatchProofsService(repo);
    await warm.anchorsFor([ids[0]]);
    const w0 = performance.now();
    await warm.anchorsFor(ids.slice(0, 100));
    const warmMs = performance.now() - w0;
    const median = [...timings].sort((x, y) => x - y)[1];
    const r0 = performance.now();
    const leaves = await repo.leavesOf(batch.seq);
    const r1 = performance.now();
    MerkleTree.build(leaves as Hex[]);
    const r2 = performance.now();
    process.stdout.write(
      `10,000-leaf batch: sealing ${sealMs.toFixed(0)} ms; proofs with the tree rebuilt from the database ${timings.map((t) => t.toFixed(0)).join('/')} ms ` +
        `(median ${median.toFixed(0)} ms; reading the leaves ${(r1 - r0).toFixed(0)} ms, building the tree ${(r2 - r1).toFixed(0)} ms); ` +
        `100 proofs from the cached tree ${warmMs.toFixed(1)} ms\n`,
    );
    expect(median).toBeLessThan(2_000);
  });
});
