import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Brands, their API keys, orders, their hashed lifecycle events and stored idempotent responses. */
export class CreateOrderTables1795600000000 implements MigrationInterface {
  name = 'CreateOrderTables1795600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE brands (
        id uuid PRIMARY KEY,
        slug text NOT NULL,
        name text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_brands_slug UNIQUE (slug)
      )`);
    await q.query(`
      CREATE TABLE api_keys (
        id uuid PRIMARY KEY,
        brand_id uuid NOT NULL CONSTRAINT fk_api_keys_brand REFERENCES brands (id),
        key_hash text NOT NULL,
        key_prefix text NOT NULL,
        roles text[] NOT NULL DEFAULT '{brand}',
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz NULL,
        CONSTRAINT uq_api_keys_key_hash UNIQUE (key_hash)
      )`);
    await q.query(`CREATE INDEX idx_api_keys_brand ON api_keys (brand_id)`);
    await q.query(`
      CREATE TABLE orders (
        id text PRIMARY KEY,
        brand_id uuid NOT NULL CONSTRAINT fk_orders_brand REFERENCES brands (id),
        reference text NOT NULL,
        status text NOT NULL,
        last_seq integer NOT NULL DEFAULT 0,
        last_leaf text NULL,
        data jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_orders_brand_reference UNIQUE (brand_id, reference)
      )`);
    await q.query(`CREATE INDEX idx_orders_brand_created ON orders (brand_id, created_at, id)`);
    await q.query(`
      CREATE TABLE events (
        id bigserial PRIMARY KEY,
        order_id text NOT NULL CONSTRAINT fk_events_order REFERENCES orders (id),
        seq integer NOT NULL,
        type text NOT NULL,
        record text NOT NULL,
        leaf text NOT NULL,
        sealed_private bytea NULL,
        batch_seq integer NULL,
        batch_index integer NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_events_order_seq UNIQUE (order_id, seq)
      )`);
    // The sealer's queue: events not yet in a batch, in ingest order.
    await q.query(`CREATE INDEX idx_events_unbatched ON events (id) WHERE batch_seq IS NULL`);
    await q.query(`CREATE INDEX idx_events_batch ON events (batch_seq, batch_index) WHERE batch_seq IS NOT NULL`);
    await q.query(`
      CREATE TABLE idempotency_keys (
        brand_id uuid NOT NULL CONSTRAINT fk_idempotency_keys_brand REFERENCES brands (id),
        key text NOT NULL,
        request_hash text NOT NULL,
        status_code integer NOT NULL,
        response jsonb NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_idempotency_keys PRIMARY KEY (brand_id, key)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE idempotency_keys`);
    await q.query(`DROP TABLE events`);
    await q.query(`DROP TABLE orders`);
    await q.query(`DROP TABLE api_keys`);
    await q.query(`DROP TABLE brands`);
  }
}
