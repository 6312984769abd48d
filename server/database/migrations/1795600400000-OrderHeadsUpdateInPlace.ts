import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every event rewrites its order's head (last seq, last leaf, status), and none of those columns is
 * indexed: with room left on each page, PostgreSQL updates the row in place (a HOT update) instead
 * of adding an entry to each of the table's indexes. Applies to pages written from now on.
 */
export class OrderHeadsUpdateInPlace1795600400000 implements MigrationInterface {
  name = 'OrderHeadsUpdateInPlace1795600400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE orders SET (fillfactor = 70)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE orders RESET (fillfactor)`);
  }
}
