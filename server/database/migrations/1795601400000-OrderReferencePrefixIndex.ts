import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The brand console searches a brand's orders by the start of their reference (`GET /v1/orders
 * ?referencePrefix=`). The unique (brand_id, reference) index compares by the database's collation,
 * which LIKE 'prefix%' cannot use; a text_pattern_ops index can.
 */
export class OrderReferencePrefixIndex1795601400000 implements MigrationInterface {
  name = 'OrderReferencePrefixIndex1795601400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX idx_orders_brand_reference_prefix ON orders (brand_id, reference text_pattern_ops)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX idx_orders_brand_reference_prefix`);
  }
}
