import { Injectable } from '@nestjs/common';
import type { SqlSession } from '../database/sql-executor';

export interface StoredResponse {
  requestHash: string;
  statusCode: number;
  response: unknown;
}

/** One brand's idempotency key. */
export interface IdempotencyClaim {
  brandId: string;
  key: string;
  requestHash: string;
}

export interface CompletedClaim {
  brandId: string;
  key: string;
  statusCode: number;
  response: unknown;
}

/** One string naming a brand's key, for maps and sets. */
export function idempotencyClaimId(brandId: string, key: string): string {
  return `${brandId}\u0000${key}`;
}

@Injectable()
export class IdempotencyRepository {
  /**
   * Claims keys inside the caller's transaction. Where another transaction holds the same key the
   * insert waits for it: after its commit the claim fails and the stored response is returned;
   * after its rollback the claim succeeds. Keys must be distinct.
   */
  async claimMany(
    session: SqlSession,
    claims: readonly IdempotencyClaim[],
    at: Date,
  ): Promise<{ claimed: Set<string>; stored: Map<string, StoredResponse> }> {
    const claimed = new Set<string>();
    const stored = new Map<string, StoredResponse>();
    if (claims.length === 0) return { claimed, stored };
    const params = JSON.stringify(claims.map((c) => ({ brand_id: c.brandId, key: c.key, hash: c.requestHash })));
    const inserted = await session.query<{ brand_id: string; key: string }>(
      `INSERT INTO idempotency_keys (brand_id, key, request_hash, status_code, response, created_at)
       SELECT x.brand_id::uuid, x.key, x.hash, 0, NULL, $2::timestamptz
         FROM jsonb_to_recordset($1::jsonb) AS x(brand_id text, key text, hash text)
       ON CONFLICT (brand_id, key) DO NOTHING
       RETURNING brand_id::text AS brand_id, key`,
      [params, at.toISOString()],
    );
    for (const row of inserted.rows) claimed.add(idempotencyClaimId(row.brand_id, row.key));
    if (claimed.size < claims.length) {
      const found = await session.query<{ brand_id: string; key: string; request_hash: string; status_code: number; response: unknown }>(
        `SELECT k.brand_id::text AS brand_id, k.key, k.request_hash, k.status_code, k.response
           FROM idempotency_keys k JOIN jsonb_to_recordset($1::jsonb) AS x(brand_id text, key text, hash text)
             ON k.brand_id = x.brand_id::uuid AND k.key = x.key`,
        [params],
      );
      for (const row of found.rows) {
        const id = idempotencyClaimId(row.brand_id, row.key);
        if (!claimed.has(id)) stored.set(id, { requestHash: row.request_hash, statusCode: row.status_code, response: row.response });
      }
    }
    return { claimed, stored };
  }

  /** Stores the responses of completed claims and gives up the others, in one statement. */
  settle(session: SqlSession, completed: readonly CompletedClaim[], abandoned: readonly { brandId: string; key: string }[]): void {
    if (completed.length === 0 && abandoned.length === 0) return;
    session.send(
      `WITH done AS (
         UPDATE idempotency_keys k SET status_code = x.status_code, response = x.response
           FROM jsonb_to_recordset($1::jsonb) AS x(brand_id text, key text, status_code int, response jsonb)
          WHERE k.brand_id = x.brand_id::uuid AND k.key = x.key
       )
       DELETE FROM idempotency_keys k
        USING jsonb_to_recordset($2::jsonb) AS x(brand_id text, key text)
        WHERE k.brand_id = x.brand_id::uuid AND k.key = x.key`,
      [
        JSON.stringify(completed.map((c) => ({ brand_id: c.brandId, key: c.key, status_code: c.statusCode, response: c.response }))),
        JSON.stringify(abandoned.map((a) => ({ brand_id: a.brandId, key: a.key }))),
      ],
    );
  }
}
