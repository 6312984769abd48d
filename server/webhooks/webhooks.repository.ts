import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { SqlSession } from '../database/sql-executor';

export interface WebhookEndpointRow {
  id: string;
  brandId: string;
  url: string;
  /** Null: every type. */
  types: string[] | null;
  secretSealed: Buffer;
  previousSecretSealed: Buffer | null;
  previousSecretUntil: Date | null;
  createdAt: Date;
  failingSince: Date | null;
  disabledAt: Date | null;
  disabledReason: string | null;
}

/** A message to write to the outbox: for every live endpoint of `brandId` subscribed to `type`. */
export interface OutboxMessage {
  brandId: string;
  type: string;
  payload: string;
}

export type MessageStatus = 'pending' | 'delivered' | 'failed';

export interface WebhookAttemptRow {
  attemptedAt: Date;
  statusCode: number | null;
  durationMs: number;
  error: string | null;
}

export interface WebhookMessageRow {
  id: string;
  type: string;
  status: MessageStatus;
  attempts: number;
  createdAt: Date;
  nextAttemptAt: Date | null;
  deliveredAt: Date | null;
  log: WebhookAttemptRow[];
}

/** A message claimed for delivery, with what signing and sending it needs. */
export interface ClaimedDelivery {
  id: string;
  endpointId: string;
  type: string;
  payload: string;
  attempts: number;
  retryUntil: Date;
  url: string;
  secretSealed: Buffer;
  previousSecretSealed: Buffer | null;
  previousSecretUntil: Date | null;
}

/** An event of a batch, as `batch.anchored` lists it. */
export interface AnchoredEventRow {
  brandId: string;
  order: string;
  reference: string;
  seq: number;
  type: string;
  leaf: string;
  index: number;
}

interface EndpointSqlRow {
  id: string;
  brand_id: string;
  url: string;
  types: string[] | null;
  secret_sealed: Buffer;
  previous_secret_sealed: Buffer | null;
  previous_secret_until: Date | null;
  created_at: Date;
  failing_since: Date | null;
  disabled_at: Date | null;
  disabled_reason: string | null;
}

function toEndpoint(r: EndpointSqlRow): WebhookEndpointRow {
  return {
    id: r.id,
    brandId: r.brand_id,
    url: r.url,
    types: r.types,
    secretSealed: r.secret_sealed,
    previousSecretSealed: r.previous_secret_sealed,
    previousSecretUntil: r.previous_secret_until === null ? null : new Date(r.previous_secret_until),
    createdAt: new Date(r.created_at),
    failingSince: r.failing_since === null ? null : new Date(r.failing_since),
    disabledAt: r.disabled_at === null ? null : new Date(r.disabled_at),
    disabledReason: r.disabled_reason,
  };
}

const ENDPOINT_COLUMNS = `id, brand_id::text AS brand_id, url, types, secret_sealed, previous_secret_sealed, previous_secret_until,
  created_at, failing_since, disabled_at, disabled_reason`;

/**
 * Webhook endpoints, the outbox of their messages and the delivery log: the only place their SQL
 * lives. Outbox writes take the session of the transaction that stores what they report.
 */
@Injectable()
export class WebhooksRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insertEndpoint(e: Pick<WebhookEndpointRow, 'id' | 'brandId' | 'url' | 'types' | 'secretSealed'>): Promise<WebhookEndpointRow> {
    const rows: EndpointSqlRow[] = await this.dataSource.query(
      `INSERT INTO webhook_endpoints (id, brand_id, url, types, secret_sealed) VALUES ($1, $2, $3, $4, $5) RETURNING ${ENDPOINT_COLUMNS}`,
      [e.id, e.brandId, e.url, e.types, e.secretSealed],
    );
    return toEndpoint(rows[0]);
  }

  async findEndpoint(brandId: string, id: string): Promise<WebhookEndpointRow | null> {
    const rows: EndpointSqlRow[] = await this.dataSource.query(
      `SELECT ${ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE id = $1 AND brand_id = $2`,
      [id, brandId],
    );
    return rows.length === 0 ? null : toEndpoint(rows[0]);
  }

  async listEndpoints(brandId: string): Promise<WebhookEndpointRow[]> {
    const rows: EndpointSqlRow[] = await this.dataSource.query(
      `SELECT ${ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE brand_id = $1 ORDER BY created_at, id`,
      [brandId],
    );
    return rows.map(toEndpoint);
  }

  /** Deletes the endpoint with its messages and their log; false when the brand has no such endpoint. */
  async deleteEndpoint(brandId: string, id: string): Promise<boolean> {
    const result: [unknown[], number] = await this.dataSource.query(`DELETE FROM webhook_endpoints WHERE id = $1 AND brand_id = $2`, [
      id,
      brandId,
    ]);
    return result[1] === 1;
  }

  /** A new secret; the current one stays valid until `previousUntil`. */
  async rotateSecret(
    brandId: string,
    id: string,
    secretSealed: Buffer,
    previousSealed: Buffer,
    previousUntil: Date,
  ): Promise<WebhookEndpointRow | null> {
    const rows: [EndpointSqlRow[], number] = await this.dataSource.query(
      `UPDATE webhook_endpoints SET secret_sealed = $3, previous_secret_sealed = $4, previous_secret_until = $5
        WHERE id = $1 AND brand_id = $2 RETURNING ${ENDPOINT_COLUMNS}`,
      [id, brandId, secretSealed, previousSealed, previousUntil],
    );
    return rows[0].length === 0 ? null : toEndpoint(rows[0][0]);
  }

  /** Brand id → the message types its live endpoints take (null in the list: every type). */
  async subscriptions(): Promise<Map<string, (string[] | null)[]>> {
    const rows: { brand_id: string; types: string[] | null }[] = await this.dataSource.query(
      `SELECT brand_id::text AS brand_id, types FROM webhook_endpoints WHERE disabled_at IS NULL`,
    );
    const out = new Map<string, (string[] | null)[]>();
    for (const r of rows) out.set(r.brand_id, [...(out.get(r.brand_id) ?? []), r.types]);
    return out;
  }

  /**
   * The outbox write: each message once for every live endpoint of its brand subscribed to its
   * type, in one statement however many there are, each with an id of its own (the webhook-id).
   */
  enqueue(session: SqlSession, messages: readonly OutboxMessage[], retryWindowMs: number): void {
    if (messages.length === 0) return;
    // Each payload is a parameter of its own: sent as it is, never escaped into a larger JSON text.
    const params: unknown[] = [retryWindowMs];
    const rows = messages.map((m) => {
      params.push(m.brandId, m.type, m.payload);
      const n = params.length;
      return `($${n - 2}::uuid, $${n - 1}::text, $${n}::text)`;
    });
    session.send(
      `INSERT INTO webhook_messages (id, endpoint_id, type, payload, retry_until)
       SELECT 'msg_' || replace(gen_random_uuid()::text, '-', ''), w.id, x.type, x.payload, now() + $1 * interval '1 millisecond'
         FROM (VALUES ${rows.join(', ')}) AS x(brand_id, type, payload)
         JOIN webhook_endpoints w ON w.brand_id = x.brand_id AND w.disabled_at IS NULL AND (w.types IS NULL OR x.type = ANY (w.types))`,
      params,
    );
  }

  /** The events of batch `seq` of the given brands, in batch order. */
  async anchoredEvents(session: SqlSession, seq: number, brandIds: readonly string[]): Promise<AnchoredEventRow[]> {
    const { rows } = await session.query<{
      brand_id: string;
      order_id: string;
      reference: string;
      seq: number;
      type: string;
      leaf: string;
      batch_index: number;
    }>(
      `SELECT o.brand_id::text AS brand_id, e.order_id, o.reference, e.seq, e.type, e.leaf, e.batch_index
         FROM events e JOIN orders o ON o.id = e.order_id
        WHERE e.batch_seq = $1 AND o.brand_id = ANY ($2::uuid[])
        ORDER BY e.batch_index`,
      [seq, brandIds],
    );
    return rows.map((r) => ({
      brandId: r.brand_id,
      order: r.order_id,
      reference: r.reference,
      seq: Number(r.seq),
      type: r.type,
      leaf: r.leaf,
      index: Number(r.batch_index),
    }));
  }

  /**
   * Opens an anchoring stall episode unless one is open: true for the one caller that opened it,
   * which then writes its messages in the same transaction.
   */
  async openStallEpisode(session: SqlSession): Promise<boolean> {
    const { rowCount } = await session.query(
      `UPDATE webhook_anchoring_stall SET open_since = now() WHERE id = 1 AND open_since IS NULL RETURNING id`,
    );
    return rowCount === 1;
  }

  async closeStallEpisode(): Promise<void> {
    await this.dataSource.query(`UPDATE webhook_anchoring_stall SET open_since = NULL WHERE id = 1 AND open_since IS NOT NULL`);
  }

  /** Of the given brands, those with events not yet anchored (past the last confirmed batch). */
  async brandsWithEventsWaiting(session: SqlSession, brandIds: readonly string[]): Promise<string[]> {
    const { rows } = await session.query<{ brand_id: string }>(
      `SELECT b.id::text AS brand_id FROM unnest($1::uuid[]) AS b(id)
        WHERE EXISTS (
          SELECT 1 FROM orders o JOIN events e ON e.order_id = o.id
           WHERE o.brand_id = b.id
             AND e.batch_seq > (SELECT COALESCE(max(seq), 0) FROM batches WHERE status = 'confirmed'))`,
      [brandIds],
    );
    return rows.map((r) => r.brand_id);
  }

  /**
   * Claims up to `limit` due messages of live endpoints for one attempt each: any instance may
   * deliver, and rows another one holds are skipped. A claim is a lease: the message is due again
   * after `leaseMs`, so that one whose deliverer died is retried.
   */
  async claimDue(limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
    const rows: [
      {
        id: string;
        endpoint_id: string;
        type: string;
        payload: string;
        attempts: number;
        retry_until: Date;
        url: string;
        secret_sealed: Buffer;
        previous_secret_sealed: Buffer | null;
        previous_secret_until: Date | null;
      }[],
      number,
    ] = await this.dataSource.query(
      `WITH due AS (
         SELECT m.id FROM webhook_messages m JOIN webhook_endpoints w ON w.id = m.endpoint_id AND w.disabled_at IS NULL
          WHERE m.status = 'pending' AND m.next_attempt_at <= now()
          ORDER BY m.next_attempt_at
          LIMIT $1
            FOR UPDATE OF m SKIP LOCKED
       )
       UPDATE webhook_messages m SET attempts = m.attempts + 1, next_attempt_at = now() + $2 * interval '1 millisecond'
         FROM due, webhook_endpoints w
        WHERE m.id = due.id AND w.id = m.endpoint_id
       RETURNING m.id, m.endpoint_id::text AS endpoint_id, m.type, m.payload, m.attempts, m.retry_until,
                 w.url, w.secret_sealed, w.previous_secret_sealed, w.previous_secret_until`,
      [limit, leaseMs],
    );
    return rows[0].map((r) => ({
      id: r.id,
      endpointId: r.endpoint_id,
      type: r.type,
      payload: r.payload,
      attempts: Number(r.attempts),
      retryUntil: new Date(r.retry_until),
      url: r.url,
      secretSealed: r.secret_sealed,
      previousSecretSealed: r.previous_secret_sealed,
      previousSecretUntil: r.previous_secret_until === null ? null : new Date(r.previous_secret_until),
    }));
  }

  /**
   * Logs a successful attempt, marks the message delivered and the endpoint healthy. Attempts of a
   * message deleted meanwhile (its endpoint was) are not logged.
   */
  async recordDelivered(messageId: string, endpointId: string, attempt: WebhookAttemptRow): Promise<void> {
    await this.dataSource.query(
      `WITH logged AS (
         INSERT INTO webhook_attempts (message_id, attempted_at, status_code, duration_ms, error)
         SELECT $1, $2, $3, $4, NULL WHERE EXISTS (SELECT 1 FROM webhook_messages WHERE id = $1)
       ),
       endpoint AS (
         UPDATE webhook_endpoints SET failing_since = NULL WHERE id = $5 AND failing_since IS NOT NULL
       )
       UPDATE webhook_messages SET status = 'delivered', delivered_at = now() WHERE id = $1`,
      [messageId, attempt.attemptedAt, attempt.statusCode, attempt.durationMs, endpointId],
    );
  }

  /**
   * Logs a failed attempt: the message is due again at `nextAttemptAt`, or failed for good when that
   * is null. The endpoint counts as failing from its first failure after a success, and is disabled
   * once it has been failing for `disableAfterMs`. Returns whether this disabled it.
   */
  async recordFailed(
    messageId: string,
    endpointId: string,
    attempt: WebhookAttemptRow,
    nextAttemptAt: Date | null,
    disableAfterMs: number,
  ): Promise<boolean> {
    // An UPDATE answers [rows, count] through TypeORM.
    const [rows]: [{ disabled: boolean }[], number] = await this.dataSource.query(
      `WITH logged AS (
         INSERT INTO webhook_attempts (message_id, attempted_at, status_code, duration_ms, error)
         SELECT $1, $2, $3, $4, $5 WHERE EXISTS (SELECT 1 FROM webhook_messages WHERE id = $1)
       ),
       message AS (
         UPDATE webhook_messages SET status = CASE WHEN $6::timestamptz IS NULL THEN 'failed' ELSE 'pending' END,
                next_attempt_at = COALESCE($6::timestamptz, next_attempt_at)
          WHERE id = $1 AND status = 'pending'
       )
       UPDATE webhook_endpoints SET failing_since = COALESCE(failing_since, $2),
              disabled_at = CASE WHEN disabled_at IS NULL AND now() - COALESCE(failing_since, $2) >= $8 * interval '1 millisecond'
                                 THEN now() ELSE disabled_at END,
              disabled_reason = CASE WHEN disabled_at IS NULL AND now() - COALESCE(failing_since, $2) >= $8 * interval '1 millisecond'
                                     THEN 'every delivery failed since ' || to_char(COALESCE(failing_since, $2) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
                                     ELSE disabled_reason END
        WHERE id = $7
       RETURNING disabled_at IS NOT NULL AND disabled_at >= $2 AS disabled`,
      [messageId, attempt.attemptedAt, attempt.statusCode, attempt.durationMs, attempt.error, nextAttemptAt, endpointId, disableAfterMs],
    );
    return rows[0]?.disabled === true;
  }

  /** The endpoint's latest messages (or the one named), newest first, with their attempts. */
  async messagesOf(endpointId: string, limit: number, messageId: string | null = null): Promise<WebhookMessageRow[]> {
    const rows: {
      id: string;
      type: string;
      status: MessageStatus;
      attempts: number;
      created_at: Date;
      next_attempt_at: Date;
      delivered_at: Date | null;
      log: { attempted_at: string; status_code: number | null; duration_ms: number; error: string | null }[] | null;
    }[] = await this.dataSource.query(
      `SELECT m.id, m.type, m.status, m.attempts, m.created_at, m.next_attempt_at, m.delivered_at,
              (SELECT json_agg(json_build_object('attempted_at', a.attempted_at, 'status_code', a.status_code,
                                                 'duration_ms', a.duration_ms, 'error', a.error) ORDER BY a.id)
                 FROM webhook_attempts a WHERE a.message_id = m.id) AS log
         FROM webhook_messages m
        WHERE m.endpoint_id = $1 AND ($3::text IS NULL OR m.id = $3)
        ORDER BY m.created_at DESC, m.id DESC
        LIMIT $2`,
      [endpointId, limit, messageId],
    );
    return rows.map((r) => ({
      id: r.id,
      type: r.type,
      status: r.status,
      attempts: Number(r.attempts),
      createdAt: new Date(r.created_at),
      nextAttemptAt: r.status === 'pending' ? new Date(r.next_attempt_at) : null,
      deliveredAt: r.delivered_at === null ? null : new Date(r.delivered_at),
      log: (r.log ?? []).map((a) => ({
        attemptedAt: new Date(a.attempted_at),
        statusCode: a.status_code,
        durationMs: Number(a.duration_ms),
        error: a.error,
      })),
    }));
  }

  /**
   * Manual redelivery: the message is due now and retried for another `retryWindowMs`, and the
   * endpoint is enabled again (a brand that fixed its receiver says so by retrying). False when the
   * endpoint has no such message.
   */
  async requeue(endpointId: string, messageId: string, retryWindowMs: number): Promise<boolean> {
    const rows: [unknown[], number] = await this.dataSource.query(
      `WITH endpoint AS (
         UPDATE webhook_endpoints SET disabled_at = NULL, disabled_reason = NULL, failing_since = NULL
          WHERE id = $1 AND EXISTS (SELECT 1 FROM webhook_messages WHERE id = $2 AND endpoint_id = $1)
       )
       UPDATE webhook_messages SET status = 'pending', next_attempt_at = now(), retry_until = now() + $3 * interval '1 millisecond',
              delivered_at = NULL
        WHERE id = $2 AND endpoint_id = $1
       RETURNING id`,
      [endpointId, messageId, retryWindowMs],
    );
    return rows[1] === 1;
  }
}
