import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Batch membership is assigned when an event is stored, not when its batch is sealed: every
 * event gets its (batch_seq, batch_index) in the transaction that inserts it, from the one-row
 * `ingest_head`, whose row lock orders concurrent writers. Sealing then only reads a batch's
 * leaves and inserts its row, instead of updating every event it holds.
 *
 * Events stored before this migration and not yet sealed join the next batch, in ingest order.
 */
export class BatchPositionAtIngest1795600300000 implements MigrationInterface {
  name = 'BatchPositionAtIngest1795600300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE ingest_head (
        id smallint PRIMARY KEY DEFAULT 1,
        open_batch integer NOT NULL,
        next_index integer NOT NULL,
        CONSTRAINT ck_ingest_head_single_row CHECK (id = 1),
        CONSTRAINT ck_ingest_head_open_batch CHECK (open_batch > 0),
        CONSTRAINT ck_ingest_head_next_index CHECK (next_index >= 0)
      )`);
    await q.query(`
      WITH next AS (SELECT COALESCE(max(seq), 0) + 1 AS seq FROM batches),
      positioned AS (
        SELECT id, (row_number() OVER (ORDER BY id) - 1)::int AS idx FROM events WHERE batch_seq IS NULL
      )
      UPDATE events e SET batch_seq = next.seq, batch_index = positioned.idx
        FROM positioned, next
       WHERE e.id = positioned.id`);
    await q.query(`
      INSERT INTO ingest_head (id, open_batch, next_index)
      SELECT 1, COALESCE((SELECT max(seq) FROM batches), 0) + 1,
             (SELECT count(*)::int FROM events e WHERE e.batch_seq > COALESCE((SELECT max(seq) FROM batches), 0))`);
    await q.query(`DROP INDEX IF EXISTS idx_events_unbatched`);
    await q.query(`DROP INDEX IF EXISTS idx_events_batch`);
    await q.query(`ALTER TABLE events ALTER COLUMN batch_seq SET NOT NULL, ALTER COLUMN batch_index SET NOT NULL`);
    // Unique: one leaf per position, so a batch's leaves read in index order are its tree's leaves.
    await q.query(`CREATE UNIQUE INDEX uq_events_batch_position ON events (batch_seq, batch_index)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX uq_events_batch_position`);
    await q.query(`ALTER TABLE events ALTER COLUMN batch_seq DROP NOT NULL, ALTER COLUMN batch_index DROP NOT NULL`);
    await q.query(`
      UPDATE events e SET batch_seq = NULL, batch_index = NULL
       WHERE NOT EXISTS (SELECT 1 FROM batches b WHERE b.seq = e.batch_seq)`);
    await q.query(`CREATE INDEX idx_events_batch ON events (batch_seq, batch_index) WHERE batch_seq IS NOT NULL`);
    await q.query(`CREATE INDEX idx_events_unbatched ON events (id) WHERE batch_seq IS NULL`);
    await q.query(`DROP TABLE ingest_head`);
  }
}
