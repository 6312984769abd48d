import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Anomaly flags raised by the background evaluator. `order_flags` holds each flag once per order,
 * rule and evidence (a re-evaluation adds nothing); its id is the feed's cursor, and only the
 * evaluator, holding the one row of `flag_evaluator_cursor`, writes it, so ids commit in order.
 * The cursor is an event's batch position, which ingest takes under the ingest head's lock until
 * its commit: positions become visible in order, so the evaluator never passes an event unseen.
 *
 * `order_contact_index` is a keyed blind index of normalised contact values (phone, delivery
 * address): an HMAC under a service key, per brand, so that orders sharing one can be found
 * although commitments are salted. `key_id` names the key that computed a row (a key replaced
 * later makes it stale); an erasure deletes the order's rows.
 *
 * `brand_flag_thresholds` keeps the thresholds a brand set; a missing field takes the default.
 */
export class AnomalyFlags1795601300000 implements MigrationInterface {
  name = 'AnomalyFlags1795601300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE order_flags (
        id bigserial PRIMARY KEY,
        brand_id uuid NOT NULL CONSTRAINT fk_order_flags_brand REFERENCES brands (id),
        order_id text NOT NULL CONSTRAINT fk_order_flags_order REFERENCES orders (id),
        rule text NOT NULL,
        severity text NOT NULL CONSTRAINT ck_order_flags_severity CHECK (severity IN ('info', 'warning', 'high')),
        seqs integer[] NOT NULL,
        evidence text NOT NULL,
        explanation jsonb NOT NULL,
        raised_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_order_flags_evidence UNIQUE (order_id, rule, evidence)
      )`);
    await q.query(`CREATE INDEX idx_order_flags_brand ON order_flags (brand_id, id)`);
    await q.query(`
      CREATE TABLE flag_evaluator_cursor (
        id smallint PRIMARY KEY DEFAULT 1 CONSTRAINT ck_flag_evaluator_cursor_single CHECK (id = 1),
        batch_seq integer NOT NULL,
        batch_index integer NOT NULL
      )`);
    await q.query(`INSERT INTO flag_evaluator_cursor (id, batch_seq, batch_index) VALUES (1, 0, -1)`);
    await q.query(`
      CREATE TABLE order_contact_index (
        order_id text NOT NULL CONSTRAINT fk_order_contact_index_order REFERENCES orders (id),
        seq integer NOT NULL,
        kind text NOT NULL CONSTRAINT ck_order_contact_index_kind CHECK (kind IN ('phone', 'address')),
        brand_id uuid NOT NULL,
        digest bytea NOT NULL,
        key_id text NOT NULL,
        recorded_at timestamptz NOT NULL,
        CONSTRAINT pk_order_contact_index PRIMARY KEY (order_id, seq, kind)
      )`);
    await q.query(`CREATE INDEX idx_order_contact_index_digest ON order_contact_index (brand_id, kind, digest, recorded_at)`);
    await q.query(`CREATE INDEX idx_order_contact_index_key ON order_contact_index (key_id)`);
    await q.query(`
      CREATE TABLE brand_flag_thresholds (
        brand_id uuid PRIMARY KEY CONSTRAINT fk_brand_flag_thresholds_brand REFERENCES brands (id),
        thresholds jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE brand_flag_thresholds`);
    await q.query(`DROP TABLE order_contact_index`);
    await q.query(`DROP TABLE flag_evaluator_cursor`);
    await q.query(`DROP TABLE order_flags`);
  }
}
