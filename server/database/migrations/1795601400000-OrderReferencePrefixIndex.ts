import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The brand console searches a brand's orders by the start of their reference (`GET /v1/orders
 * ?referencePrefix=`). The unique (brand_id, reference) constraint's index compares by the
 * database's collation, which LIKE 'prefix%' cannot use; an index with text_pattern_ops serves
 * both that search and the equality lookups of writes. It replaces the constraint's index rather
 * than standing beside it, so that creating an order maintains no more indexes than before.
 */
export class OrderReferencePrefixIndex1795601400000 implements MigrationInterface {
  name = 'OrderReferencePrefixIndex1795601400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE UNIQUE INDEX uq_orders_brand_reference_pattern ON orders (brand_id, reference text_pattern_ops)`);
    await q.query(`ALTER TABLE orders DROP CONSTRAINT uq_orders_brand_reference`);
    await q.query(`ALTER INDEX uq_orders_brand_reference_pattern RENAME TO uq_orders_brand_reference`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX uq_orders_brand_reference`);
    await q.query(`ALTER TABLE orders ADD CONSTRAINT uq_orders_brand_reference UNIQUE (brand_id, reference)`);
  }
}
