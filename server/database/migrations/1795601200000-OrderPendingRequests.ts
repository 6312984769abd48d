import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The consumer's unanswered change requests on the order's head (`[{"seq", "request"}]`), so that
 * the planner checks a hold against `shipped`, and an answer against its request, under the order's
 * lock without reading its history. Orders stored before have none: requests did not exist.
 */
export class OrderPendingRequests1795601200000 implements MigrationInterface {
  name = 'OrderPendingRequests1795601200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE orders ADD COLUMN pending_requests jsonb NOT NULL DEFAULT '[]'::jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE orders DROP COLUMN pending_requests`);
  }
}
