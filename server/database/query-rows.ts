import type { EntityManager } from 'typeorm';

/**
 * Rows of a raw statement, `RETURNING` included, in the same shape for every statement and
 * driver (TypeORM's plain `query` returns `[rows, count]` for UPDATE on `pg`). Runs on the
 * manager's transaction when it has one.
 */
export async function queryRows<T>(manager: EntityManager, sql: string, params: unknown[] = []): Promise<T[]> {
  const ownRunner = manager.queryRunner === undefined || manager.queryRunner.isReleased;
  const runner = ownRunner ? manager.connection.createQueryRunner() : manager.queryRunner;
  try {
    const result = await runner.query(sql, params, true);
    return (result.records ?? []) as T[];
  } finally {
    if (ownRunner) await runner.release();
  }
}
