import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { queryRows } from '../database/query-rows';

export interface StoredResponse {
  requestHash: string;
  statusCode: number;
  response: unknown;
}

@Injectable()
export class IdempotencyRepository {
  /**
   * Claims the key inside the caller's transaction. When another transaction holds the same key
   * the insert waits for it: after its commit the claim fails and the stored response is read;
   * after its rollback the claim succeeds.
   */
  async claim(tx: EntityManager, brandId: string, key: string, requestHash: string, at: Date): Promise<boolean> {
    const rows = await queryRows(
      tx,
      `INSERT INTO idempotency_keys (brand_id, key, request_hash, status_code, response, created_at)
       VALUES ($1, $2, $3, 0, NULL, $4)
       ON CONFLICT (brand_id, key) DO NOTHING
       RETURNING key`,
      [brandId, key, requestHash, at],
    );
    return rows.length === 1;
  }

  async find(tx: EntityManager, brandId: string, key: string): Promise<StoredResponse | null> {
    const rows = await queryRows<{ request_hash: string; status_code: number; response: unknown }>(
      tx,
      `SELECT request_hash, status_code, response FROM idempotency_keys WHERE brand_id = $1 AND key = $2`,
      [brandId, key],
    );
    return rows.length === 0 ? null : { requestHash: rows[0].request_hash, statusCode: rows[0].status_code, response: rows[0].response };
  }

  async complete(tx: EntityManager, brandId: string, key: string, statusCode: number, response: unknown): Promise<void> {
    await queryRows(tx, `UPDATE idempotency_keys SET status_code = $3, response = $4 WHERE brand_id = $1 AND key = $2`, [
      brandId,
      key,
      statusCode,
      JSON.stringify(response),
    ]);
  }
}
