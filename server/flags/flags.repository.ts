import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { EventRecord } from '../../proof/record';
import type { WrappedKey } from '../config/data-key-ring';
import type { SqlSession } from '../database/sql-executor';
import { type ContactKind, type FlagRule, type FlagSeverity, type FlagThresholds, HISTORY_RULE_TYPES, type OrderFlag } from './order-flags';

/** An event's place in ingest order (its batch position), the evaluator's cursor. */
export interface EventPosition {
  batchSeq: number;
  batchIndex: number;
}

/** A newly stored event, as the evaluator reads it. */
export interface StoredEventRef extends EventPosition {
  orderId: string;
  seq: number;
}

/**
 * An order with the part of its history the rules need (see ordersForEvaluation), for evaluation;
 * `wrappedKey` null once erased (or never keyed).
 */
export interface EvaluatedOrder {
  id: string;
  brandId: string;
  erased: boolean;
  wrappedKey: WrappedKey | null;
  events: { record: EventRecord; sealed: Buffer | null }[];
}

/** A flag as stored and listed. */
export interface StoredFlag extends OrderFlag {
  id: string;
  raisedAt: Date;
}

/** A flag to store, with what tells it apart from other flags of its order and rule. */
export interface FlagToRaise extends OrderFlag {
  brandId: string;
  evidence: string;
}

/** A blind-index entry of one event's contact value. */
export interface ContactIndexRow {
  brandId: string;
  orderId: string;
  seq: number;
  kind: ContactKind;
  digest: Buffer;
  recordedAt: Date;
}

/** Whose flags a listing shows: a brand's, or those of the orders the live grants of a key open. */
export type FlagScope = { brandId: string } | { granteeKeyId: string };

interface FlagSqlRow {
  id: string;
  order_id: string;
  rule: string;
  severity: string;
  seqs: number[];
  explanation: { en: string; 'zh-CN': string };
  raised_at: Date;
}

function toFlag(r: FlagSqlRow): StoredFlag {
  return {
    id: String(r.id),
    rule: r.rule as FlagRule,
    severity: r.severity as FlagSeverity,
    order: r.order_id,
    seqs: r.seqs.map(Number),
    explanation: typeof r.explanation === 'string' ? (JSON.parse(r.explanation) as StoredFlag['explanation']) : r.explanation,
    raisedAt: new Date(r.raised_at),
  };
}

const FLAG_COLUMNS = `id::text AS id, order_id, rule, severity, seqs, explanation, raised_at`;

/**
 * The brand's ($1) orders with an event carrying tracking number $2, each with its first such seq.
 * The LIKE repeats the condition of the index of migration EventTrackingNumberIndex, so that the
 * planner may use it.
 */
export const TRACKING_NUMBER_HOLDERS_SQL = `SELECT e.order_id, min(e.seq) AS seq FROM events e JOIN orders o ON o.id = e.order_id
  WHERE o.brand_id = $1 AND e.record LIKE '%"tracking%' AND event_tracking_numbers(e.record) @> ARRAY[$2::text]
  GROUP BY e.order_id ORDER BY e.order_id LIMIT 100`;

/** The evaluator's orders named in $1 (a JSON array of objects with an `id`). */
export const EVALUATED_ORDERS_SQL = `SELECT o.id, o.brand_id::text AS brand_id, o.erased_at, o.wrapped_key, o.data_key_id
  FROM json_to_recordset($1::json) AS x(id text) JOIN orders o ON o.id = x.id`;

/**
 * Their events the rules look at, in seq order: from `from_seq` to `to_seq`, and before it those of
 * HISTORY_RULE_TYPES, through the partial index of migration EventRuleMilestoneIndex (the types are
 * written out so that the planner can match them to its condition). Sealed fields only of the
 * former and of the `created` event. Each order's events are read by their own index ranges
 * (LATERAL): joined as one set, the planner reads the whole table once orders hold many events.
 */
export const EVALUATED_EVENTS_SQL = `SELECT x.id AS order_id, e.record, e.sealed_private
  FROM json_to_recordset($1::json) AS x(id text, from_seq int, to_seq int)
 CROSS JOIN LATERAL (
       SELECT e.seq, e.record, e.sealed_private FROM events e WHERE e.order_id = x.id AND e.seq BETWEEN x.from_seq AND x.to_seq
        UNION ALL
       SELECT e.seq, e.record, CASE WHEN e.type = 'created' THEN e.sealed_private END FROM events e
        WHERE e.order_id = x.id AND e.seq < x.from_seq AND e.type IN (${HISTORY_RULE_TYPES.map((t) => `'${t}'`).join(', ')})
       ) e
 ORDER BY x.id, e.seq`;

/**
 * Anomaly flags, the evaluator's cursor, the contact blind index and brands' thresholds: the only
 * place their SQL lives. Reads of events, orders and link tokens here serve the evaluator (and the
 * tracking-number lookup GET /v1/orders/{id}/flags shares with it).
 */
@Injectable()
export class FlagsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** A read inside the caller's transaction when it gives one, else on a pooled connection. */
  private async rowsOf<T>(sql: string, params: unknown[], session?: SqlSession): Promise<T[]> {
    return session === undefined ? this.dataSource.query<T[]>(sql, params) : (await session.query<T>(sql, params)).rows;
  }

  /** The evaluator's cursor, locked until the transaction ends; null while another instance holds it. */
  async lockCursor(session: SqlSession): Promise<EventPosition | null> {
    const { rows } = await session.query<{ batch_seq: number; batch_index: number }>(
      `SELECT batch_seq, batch_index FROM flag_evaluator_cursor WHERE id = 1 FOR UPDATE SKIP LOCKED`,
    );
    return rows.length === 0 ? null : { batchSeq: Number(rows[0].batch_seq), batchIndex: Number(rows[0].batch_index) };
  }

  async advanceCursor(session: SqlSession, to: EventPosition): Promise<void> {
    await session.query(`UPDATE flag_evaluator_cursor SET batch_seq = $1, batch_index = $2 WHERE id = 1`, [to.batchSeq, to.batchIndex]);
  }

  /** Up to `limit` events stored after `after`, in ingest order. */
  async eventsAfter(session: SqlSession, after: EventPosition, limit: number): Promise<StoredEventRef[]> {
    const { rows } = await session.query<{ order_id: string; seq: number; batch_seq: number; batch_index: number }>(
      `SELECT order_id, seq, batch_seq, batch_index FROM events
        WHERE (batch_seq, batch_index) > ($1, $2)
        ORDER BY batch_seq, batch_index
        LIMIT $3`,
      [after.batchSeq, after.batchIndex, limit],
    );
    return rows.map((r) => ({ orderId: r.order_id, seq: Number(r.seq), batchSeq: Number(r.batch_seq), batchIndex: Number(r.batch_index) }));
  }

  /**
   * The orders named, by id, each with its events from `fromSeq` to `toSeq` and the earlier ones of
   * HISTORY_RULE_TYPES (all of them from 1); an order that is not there is absent. Two statements
   * however many orders: a page of events costs two round trips, and reads of an order's scans only
   * those of the page (an evaluator that is behind does not read the events stored after it, each
   * page again).
   */
  async ordersForEvaluation(
    session: SqlSession,
    wanted: readonly { id: string; fromSeq: number; toSeq: number }[],
  ): Promise<Map<string, EvaluatedOrder>> {
    const found = new Map<string, EvaluatedOrder>();
    if (wanted.length === 0) return found;
    const named = JSON.stringify(wanted.map((w) => ({ id: w.id, from_seq: w.fromSeq, to_seq: w.toSeq })));
    const { rows } = await session.query<{
      id: string;
      brand_id: string;
      erased_at: Date | null;
      wrapped_key: Uint8Array | null;
      data_key_id: string | null;
    }>(EVALUATED_ORDERS_SQL, [named]);
    for (const o of rows) {
      found.set(o.id, {
        id: o.id,
        brandId: o.brand_id,
        erased: o.erased_at !== null,
        wrappedKey:
          o.wrapped_key === null || o.data_key_id === null ? null : { wrapped: Buffer.from(o.wrapped_key), dataKeyId: o.data_key_id },
        events: [],
      });
    }
    const events = await session.query<{ order_id: string; record: string; sealed_private: Uint8Array | null }>(EVALUATED_EVENTS_SQL, [
      named,
    ]);
    for (const e of events.rows) {
      found.get(e.order_id)?.events.push({
        record: JSON.parse(e.record) as EventRecord,
        sealed: e.sealed_private === null ? null : Buffer.from(e.sealed_private),
      });
    }
    return found;
  }

  /** When the order's links were issued anew: every token after its first. */
  async linkReissueTimes(session: SqlSession, orderId: string): Promise<Date[]> {
    const { rows } = await session.query<{ created_at: Date }>(
      `SELECT created_at FROM order_access_tokens WHERE order_id = $1 ORDER BY created_at OFFSET 1`,
      [orderId],
    );
    return rows.map((r) => new Date(r.created_at));
  }

  /**
   * The brand's orders with an event whose public data carries `trackingNo` (under one of
   * TRACKING_NUMBER_FIELDS), each with its first such seq; at most 100. Read through the index of
   * migration EventTrackingNumberIndex, by the evaluator in its transaction and by
   * GET /v1/orders/{id}/flags on its own.
   */
  async ordersWithTrackingNumber(brandId: string, trackingNo: string, session?: SqlSession): Promise<{ orderId: string; seq: number }[]> {
    const rows = await this.rowsOf<{ order_id: string; seq: number }>(TRACKING_NUMBER_HOLDERS_SQL, [brandId, trackingNo], session);
    return rows.map((r) => ({ orderId: r.order_id, seq: Number(r.seq) }));
  }

  /**
   * Stores blind-index rows, unless their order was erased meanwhile: the order row is share-locked
   * until the transaction ends, so an erasure (which deletes the order's rows) waits for it or is
   * seen here. Called last in a transaction, so that the lock is held briefly.
   */
  async indexContacts(session: SqlSession, keyId: string, rows: readonly ContactIndexRow[]): Promise<void> {
    if (rows.length === 0) return;
    await session.query(
      `INSERT INTO order_contact_index (order_id, seq, kind, brand_id, digest, key_id, recorded_at)
       SELECT x.order_id, x.seq, x.kind, o.brand_id, decode(x.digest, 'hex'), $1, x.recorded_at::timestamptz
         FROM json_to_recordset($2::json) AS x(order_id text, seq int, kind text, digest text, recorded_at text)
         JOIN orders o ON o.id = x.order_id
        WHERE o.erased_at IS NULL
          FOR SHARE OF o
       ON CONFLICT (order_id, seq, kind) DO UPDATE SET digest = EXCLUDED.digest, key_id = EXCLUDED.key_id, recorded_at = EXCLUDED.recorded_at`,
      [
        keyId,
        JSON.stringify(
          rows.map((r) => ({
            order_id: r.orderId,
            seq: r.seq,
            kind: r.kind,
            digest: r.digest.toString('hex'),
            recorded_at: r.recordedAt.toISOString(),
          })),
        ),
      ],
    );
  }

  /** The brand's orders (each with its latest such seq) whose `kind` value has this digest, recorded in [from, to]. */
  async ordersWithContact(
    session: SqlSession,
    brandId: string,
    kind: ContactKind,
    digest: Buffer,
    keyId: string,
    from: Date,
    to: Date,
  ): Promise<{ orderId: string; seq: number }[]> {
    const { rows } = await session.query<{ order_id: string; seq: number }>(
      `SELECT order_id, max(seq) AS seq FROM order_contact_index
        WHERE brand_id = $1 AND kind = $2 AND digest = decode($3, 'hex') AND key_id = $4 AND recorded_at BETWEEN $5 AND $6
        GROUP BY order_id ORDER BY order_id LIMIT 1000`,
      [brandId, kind, digest.toString('hex'), keyId, from.toISOString(), to.toISOString()],
    );
    return rows.map((r) => ({ orderId: r.order_id, seq: Number(r.seq) }));
  }

  /** Up to `limit` orders with blind-index rows computed under another key than `keyId`. */
  async ordersIndexedUnderOtherKeys(session: SqlSession, keyId: string, limit: number): Promise<string[]> {
    const { rows } = await session.query<{ order_id: string }>(
      // Two range scans of the key_id index rather than `<>`, which reads it whole: asked at every poll, nearly always empty.
      `SELECT DISTINCT order_id FROM order_contact_index WHERE key_id < $1 OR key_id > $1 LIMIT $2`,
      [keyId, limit],
    );
    return rows.map((r) => r.order_id);
  }

  /** Removes an order's blind-index rows of other keys than `keyId` (those it could not compute again). */
  async dropStaleContacts(session: SqlSession, orderId: string, keyId: string): Promise<void> {
    await session.query(`DELETE FROM order_contact_index WHERE order_id = $1 AND key_id <> $2`, [orderId, keyId]);
  }

  /** Stores the flags not stored yet (same order, rule and evidence) and returns those it stored. */
  async raise(session: SqlSession, flags: readonly FlagToRaise[]): Promise<(StoredFlag & { brandId: string })[]> {
    if (flags.length === 0) return [];
    const { rows } = await session.query<FlagSqlRow & { brand_id: string }>(
      `INSERT INTO order_flags (brand_id, order_id, rule, severity, seqs, evidence, explanation)
       SELECT x.brand_id::uuid, x.order_id, x.rule, x.severity, ARRAY(SELECT json_array_elements_text(x.seqs)::int), x.evidence, x.explanation::jsonb
         FROM json_to_recordset($1::json) AS x(brand_id text, order_id text, rule text, severity text, seqs json, evidence text, explanation json, n int)
        ORDER BY x.n
       ON CONFLICT (order_id, rule, evidence) DO NOTHING
       RETURNING brand_id::text AS brand_id, ${FLAG_COLUMNS}`,
      [
        JSON.stringify(
          flags.map((f, n) => ({
            n,
            brand_id: f.brandId,
            order_id: f.order,
            rule: f.rule,
            severity: f.severity,
            seqs: f.seqs,
            evidence: f.evidence,
            explanation: f.explanation,
          })),
        ),
      ],
    );
    return rows.map((r) => ({ ...toFlag(r), brandId: r.brand_id })).sort((a, b) => Number(a.id) - Number(b.id));
  }

  /** One page of flags after id `after`, oldest first; one extra row tells whether more follow. */
  async page(scope: FlagScope, after: string, limit: number): Promise<StoredFlag[]> {
    const [where, param] =
      'brandId' in scope
        ? [`f.brand_id = $1`, scope.brandId]
        : [
            `EXISTS (SELECT 1 FROM grants g WHERE g.key_id = $1 AND g.revoked_at IS NULL
                        AND g.brand_id = f.brand_id AND (g.order_id IS NULL OR g.order_id = f.order_id))`,
            scope.granteeKeyId,
          ];
    const rows: FlagSqlRow[] = await this.dataSource.query(
      `SELECT ${FLAG_COLUMNS} FROM order_flags f WHERE ${where} AND f.id > $2::bigint ORDER BY f.id LIMIT $3`,
      [param, after, limit + 1],
    );
    return rows.map(toFlag);
  }

  /** The order's stored flags, oldest first. */
  async ofOrder(orderId: string): Promise<StoredFlag[]> {
    const rows: FlagSqlRow[] = await this.dataSource.query(`SELECT ${FLAG_COLUMNS} FROM order_flags WHERE order_id = $1 ORDER BY id`, [
      orderId,
    ]);
    return rows.map(toFlag);
  }

  /** The thresholds the brand set (only those it set); empty when none. */
  async thresholdsOf(brandId: string, session?: SqlSession): Promise<Partial<FlagThresholds>> {
    const rows = await this.rowsOf<{ thresholds: Partial<FlagThresholds> | string }>(
      `SELECT thresholds FROM brand_flag_thresholds WHERE brand_id = $1`,
      [brandId],
      session,
    );
    if (rows.length === 0) return {};
    const t = rows[0].thresholds;
    return typeof t === 'string' ? (JSON.parse(t) as Partial<FlagThresholds>) : t;
  }

  async setThresholds(session: SqlSession, brandId: string, thresholds: Partial<FlagThresholds>): Promise<void> {
    await session.query(
      `INSERT INTO brand_flag_thresholds (brand_id, thresholds, updated_at) VALUES ($1, $2::jsonb, now())
       ON CONFLICT (brand_id) DO UPDATE SET thresholds = EXCLUDED.thresholds, updated_at = now()`,
      [brandId, JSON.stringify(thresholds)],
    );
  }
}
