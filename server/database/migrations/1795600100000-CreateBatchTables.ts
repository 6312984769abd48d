import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Sealed Merkle batches with their anchoring state, and the anchoring service's own bookkeeping. */
export class CreateBatchTables1795600100000 implements MigrationInterface {
  name = 'CreateBatchTables1795600100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE batches (
        seq integer PRIMARY KEY,
        root text NOT NULL,
        leaf_count integer NOT NULL,
        first_event_id bigint NOT NULL,
        last_event_id bigint NOT NULL,
        status text NOT NULL DEFAULT 'sealed',
        tx_hash text NULL,
        tx_nonce integer NULL,
        block_number bigint NULL,
        block_hash text NULL,
        chain_id integer NULL,
        contract text NULL,
        sealed_at timestamptz NOT NULL DEFAULT now(),
        submitted_at timestamptz NULL,
        confirmed_at timestamptz NULL,
        attempts integer NOT NULL DEFAULT 0,
        last_error text NULL,
        CONSTRAINT ck_batches_status CHECK (status IN ('sealed', 'submitted', 'confirmed')),
        CONSTRAINT ck_batches_seq CHECK (seq > 0),
        CONSTRAINT ck_batches_leaf_count CHECK (leaf_count > 0)
      )`);
    // The anchorer's queue: batches not confirmed yet, in seq order.
    await q.query(`CREATE INDEX idx_batches_unconfirmed ON batches (seq) WHERE status <> 'confirmed'`);
    await q.query(`
      CREATE TABLE service_state (
        key text PRIMARY KEY,
        value jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // The sealer's queue; the order tables' migration normally creates it already.
    await q.query(`CREATE INDEX IF NOT EXISTS idx_events_unbatched ON events (id) WHERE batch_seq IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE service_state`);
    await q.query(`DROP TABLE batches`);
  }
}
