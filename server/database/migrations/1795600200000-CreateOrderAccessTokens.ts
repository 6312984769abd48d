import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Public links to orders (QR codes on parcels): hashed capability tokens, revocable. */
export class CreateOrderAccessTokens1795600200000 implements MigrationInterface {
  name = 'CreateOrderAccessTokens1795600200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE order_access_tokens (
        id uuid PRIMARY KEY,
        order_id text NOT NULL CONSTRAINT fk_order_access_tokens_order REFERENCES orders (id),
        token_hash text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz NULL,
        CONSTRAINT uq_order_access_tokens_token_hash UNIQUE (token_hash)
      )`);
    await q.query(`CREATE INDEX idx_order_access_tokens_order ON order_access_tokens (order_id, created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE order_access_tokens`);
  }
}
