import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Per-order keys for private fields (crypto-shredding): each order's sealed values and salts are
 * encrypted under a key of its own, stored only wrapped by the data key (`wrapped_key`, and
 * `data_key_id` naming that data key, so that a rotation knows what to re-wrap). Erasure drops
 * the wrapped key and the ciphertexts and records when (`erased_at`). Orders stored before have
 * no key: their values stay under the data key until a rotation moves them under one.
 *
 * `service_keys` holds the service's own keys, wrapped the same way: the order link token key,
 * apart from the data key so that a rotation never changes a printed link.
 */
export class OrderKeys1795600700000 implements MigrationInterface {
  name = 'OrderKeys1795600700000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE orders ADD COLUMN wrapped_key bytea, ADD COLUMN data_key_id text, ADD COLUMN erased_at timestamptz`);
    await q.query(`
      CREATE TABLE service_keys (
        name text PRIMARY KEY,
        wrapped_key bytea NOT NULL,
        data_key_id text NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE service_keys`);
    await q.query(`ALTER TABLE orders DROP COLUMN wrapped_key, DROP COLUMN data_key_id, DROP COLUMN erased_at`);
  }
}
