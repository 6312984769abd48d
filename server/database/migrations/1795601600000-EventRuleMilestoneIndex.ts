import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The anomaly-flag evaluator reads, for each order it evaluates, the new events and the earlier
 * ones whose type the history rules look at (HISTORY_RULE_TYPES in server/flags/order-flags.ts):
 * an order's creation, shipping, delivery, receipt, address changes and refunds. Without an index
 * of those few events it visited every earlier event of the order (its scans, mostly) to find them.
 * The index holds only events of those types, so a scan costs its insert nothing.
 */
export class EventRuleMilestoneIndex1795601600000 implements MigrationInterface {
  name = 'EventRuleMilestoneIndex1795601600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX IF NOT EXISTS idx_events_rule_milestones ON events (order_id, seq)
        WHERE type IN ('created', 'shipped', 'delivered', 'received', 'address_changed', 'refunded')`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX idx_events_rule_milestones`);
  }
}
