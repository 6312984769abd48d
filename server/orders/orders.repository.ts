import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { WrappedKey } from '../config/data-key-ring';
import type { PreparedSql, SqlSession } from '../database/sql-executor';
import { EventEntity } from './event.entity';
import type { OrderCursor } from './order-cursor';
import { type GroupWrites, headFromRow, type OrderHead } from './order-commands';
import { OrderEntity } from './order.entity';

export interface OrderFilter {
  status?: string;
  createdFrom?: Date;
  createdTo?: Date;
  reference?: string;
  referencePrefix?: string;
}

/** A brand's order named by its reference. */
export interface ReferenceKey {
  brandId: string;
  reference: string;
}

/**
 * The heads of the orders named by id ($1, a JSON array) or by brand and reference ($2, a JSON array
 * of pairs), locked in id order. The ids are gathered first, each kind by its own index, and the
 * rows then found by primary key: one `WHERE id IN (…) OR (brand_id, reference) IN (…)` cannot use
 * either index and reads every order, in every write group. (Handing the ids over as an array,
 * `id = ANY (ARRAY(…))`, was as selective but made concurrent bulk groups wait on each other.)
 */
export const LOCK_HEADS_SQL = `SELECT o.id, o.brand_id::text AS brand_id, b.slug AS brand_slug, o.reference, o.last_seq, o.last_leaf, o.status,
        o.created_at, o.updated_at, o.wrapped_key, o.data_key_id, o.erased_at, o.pending_requests
   FROM orders o JOIN brands b ON b.id = o.brand_id
  WHERE o.id IN (
          SELECT json_array_elements_text($1::json)
          UNION
          SELECT x.id FROM json_array_elements($2::json) r
            JOIN orders x ON x.brand_id = (r->>0)::uuid AND x.reference = r->>1)
  ORDER BY o.id
    FOR UPDATE OF o`;

const LOCK_HEADS: PreparedSql = { name: 'ordertrace_lock_heads', text: LOCK_HEADS_SQL };

/**
 * A write group's one statement ($1 new orders, $2 events, $3 changed heads as JSON; $4 the batch
 * size, $5 the number of events): see OrdersRepository.writeGroup.
 */
export const WRITE_GROUP_SQL = `WITH head AS (
     SELECT CASE WHEN next_index >= $4 THEN open_batch + 1 ELSE open_batch END AS batch,
            CASE WHEN next_index >= $4 THEN 0 ELSE next_index END AS next
       FROM ingest_head WHERE id = 1
        FOR UPDATE
   ),
   new_orders AS (
     INSERT INTO orders (id, brand_id, reference, status, last_seq, last_leaf, data, created_at, updated_at, wrapped_key, data_key_id)
     SELECT x.id, x.brand_id::uuid, x.reference, x.status, x.last_seq, x.last_leaf, x.data, x.created_at::timestamptz, x.updated_at::timestamptz,
            decode(x.wrapped_key, 'base64'), x.data_key_id
       FROM json_to_recordset($1::json) AS x(id text, brand_id text, reference text, status text, last_seq int, last_leaf text,
                                               data jsonb, created_at text, updated_at text, wrapped_key text, data_key_id text)
   ),
   new_events AS (
     INSERT INTO events (order_id, seq, type, record, leaf, sealed_private, batch_seq, batch_index, created_at)
     SELECT x.order_id, x.seq, x.type, x.record, x.leaf, decode(x.sealed, 'base64'),
            h.batch + (h.next + x.i) / $4, (h.next + x.i) % $4, x.created_at::timestamptz
       FROM json_to_recordset($2::json) AS x(i int, order_id text, seq int, type text, record text, leaf text, sealed text, created_at text),
            head h
      ORDER BY x.i
   ),
   changed_heads AS (
     UPDATE orders o SET last_seq = x.last_seq, last_leaf = x.last_leaf, status = x.status, updated_at = x.updated_at::timestamptz,
                         pending_requests = x.pending_requests,
                         wrapped_key = COALESCE(decode(x.wrapped_key, 'base64'), o.wrapped_key),
                         data_key_id = COALESCE(x.data_key_id, o.data_key_id)
       FROM json_to_recordset($3::json) AS x(id text, last_seq int, last_leaf text, status text, updated_at text,
                                               pending_requests jsonb, wrapped_key text, data_key_id text)
      WHERE o.id = x.id
   )
   UPDATE ingest_head SET open_batch = h.batch + (h.next + $5 - 1) / $4, next_index = (h.next + $5 - 1) % $4 + 1
     FROM head h
    WHERE ingest_head.id = 1`;

const WRITE_GROUP: PreparedSql = { name: 'ordertrace_write_group', text: WRITE_GROUP_SQL };

/** Whose orders a listing shows: a brand's, or those granted to a key of no brand. */
export type OrderScope = { brandId: string } | { granteeKeyId: string };

/**
 * The order aggregate's storage: the order row (its chain head: last seq, last leaf, state) and
 * its events. Writes run inside a write group's transaction (`SqlSession`) and take JSON
 * parameters, which both `pg` and PGlite pass as one text value however many rows they hold
 * (read as `json`, not `jsonb`: each is read once, so converting it to `jsonb` first is waste).
 */
@Injectable()
export class OrdersRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Locks the heads of the orders named by id or by reference, in id order (so that concurrent
   * groups never deadlock), until the transaction ends. Orders that do not exist are absent.
   */
  async lockHeads(session: SqlSession, ids: readonly string[], references: readonly ReferenceKey[]): Promise<OrderHead[]> {
    if (ids.length === 0 && references.length === 0) return [];
    const { rows } = await session.query<Parameters<typeof headFromRow>[0]>(LOCK_HEADS, [
      JSON.stringify(ids),
      JSON.stringify(references.map((r) => [r.brandId, r.reference])),
    ]);
    return rows.map(headFromRow);
  }

  /**
   * Stores a group in one statement: new orders, the events, the changed heads and the ingest
   * head. Events keep the order in which they were planned and take the next batch positions:
   * the open batch's until it holds `batchMaxEvents`, then the next batch's from 0 (at once if
   * the open batch already holds more, after the setting was lowered). The ingest head (`open
   * batch`, `next index`) is locked by this statement and stays locked until the commit, so that
   * concurrent writers take positions one group at a time and never wait on it across a round trip.
   */
  writeGroup(session: SqlSession, writes: GroupWrites, batchMaxEvents: number): void {
    const orders = writes.newOrders.map((h) => ({
      id: h.id,
      brand_id: h.brandId,
      reference: h.reference,
      status: h.status,
      last_seq: h.lastSeq,
      last_leaf: h.lastLeaf,
      data: h.data,
      created_at: h.createdAt.toISOString(),
      updated_at: h.updatedAt.toISOString(),
      wrapped_key: h.wrappedKey === null ? null : h.wrappedKey.wrapped.toString('base64'),
      data_key_id: h.wrappedKey?.dataKeyId ?? null,
    }));
    const events = writes.events.map(({ built: { row } }, i) => ({
      i,
      order_id: row.orderId,
      seq: row.seq,
      type: row.type,
      record: row.record,
      leaf: row.leaf,
      sealed: row.sealedPrivate === null ? null : row.sealedPrivate.toString('base64'),
      created_at: row.createdAt.toISOString(),
    }));
    const heads = writes.changedHeads.map((h) => ({
      id: h.id,
      last_seq: h.lastSeq,
      last_leaf: h.lastLeaf,
      status: h.status,
      updated_at: h.updatedAt.toISOString(),
      pending_requests: h.pendingRequests,
      // Only an order that had no key yet gets one here; otherwise the stored key stays as it is.
      wrapped_key: h.keyAdded && h.wrappedKey !== null ? h.wrappedKey.wrapped.toString('base64') : null,
      data_key_id: h.keyAdded && h.wrappedKey !== null ? h.wrappedKey.dataKeyId : null,
    }));
    session.send(WRITE_GROUP, [JSON.stringify(orders), JSON.stringify(events), JSON.stringify(heads), batchMaxEvents, events.length]);
  }

  /** The planner's estimate of how many orders there are (0 before the table was first analyzed). */
  async estimatedCount(): Promise<number> {
    const [row] = await this.dataSource.query<{ reltuples: number }[]>(`SELECT reltuples FROM pg_class WHERE oid = 'orders'::regclass`);
    return Math.max(0, Number(row?.reltuples ?? 0));
  }

  /**
   * Refreshes the planner's statistics of the orders table (and so the plans cached for it). Gives up
   * after `lockTimeoutMs` waiting for the table (a vacuum that does not yield, a migration), rather
   * than hold a pooled connection meanwhile.
   */
  async analyze(lockTimeoutMs: number): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.query(`SET LOCAL lock_timeout = ${Math.trunc(lockTimeoutMs)}`);
      await manager.query('ANALYZE orders');
    });
  }

  /** The order; with a brand id, null unless it is that brand's. */
  find(id: string, brandId: string | null): Promise<OrderEntity | null> {
    return this.dataSource.getRepository(OrderEntity).findOne({ where: brandId === null ? { id } : { id, brandId } });
  }

  /**
   * One page, newest first, after `cursor`; fetches one extra row to tell whether more follow. The
   * orders of a brand, or those the live grants of an arbitrator's or auditor's key open.
   */
  page(scope: OrderScope, filter: OrderFilter, cursor: OrderCursor | null, limit: number): Promise<OrderEntity[]> {
    const qb = this.dataSource.getRepository(OrderEntity).createQueryBuilder('o');
    if ('brandId' in scope) qb.where('o.brand_id = :brandId', { brandId: scope.brandId });
    else {
      qb.where(
        `EXISTS (SELECT 1 FROM grants g WHERE g.key_id = :granteeKeyId AND g.revoked_at IS NULL
                    AND g.brand_id = o.brand_id AND (g.order_id IS NULL OR g.order_id = o.id))`,
        { granteeKeyId: scope.granteeKeyId },
      );
    }
    if (filter.status !== undefined) qb.andWhere('o.status = :status', { status: filter.status });
    if (filter.createdFrom !== undefined) qb.andWhere('o.created_at >= :createdFrom', { createdFrom: filter.createdFrom });
    if (filter.createdTo !== undefined) qb.andWhere('o.created_at < :createdTo', { createdTo: filter.createdTo });
    if (filter.reference !== undefined) qb.andWhere('o.reference = :reference', { reference: filter.reference });
    if (filter.referencePrefix !== undefined) {
      // The unique index uq_orders_brand_reference (text_pattern_ops) serves it; the prefix's own wildcards match themselves.
      qb.andWhere(`o.reference LIKE :referencePattern ESCAPE '\\'`, {
        referencePattern: `${filter.referencePrefix.replace(/[\\%_]/g, '\\$&')}%`,
      });
    }
    if (cursor !== null) {
      qb.andWhere('(o.created_at, o.id) < (:cursorAt, :cursorId)', { cursorAt: cursor.createdAt, cursorId: cursor.id });
    }
    return qb
      .orderBy('o.created_at', 'DESC')
      .addOrderBy('o.id', 'DESC')
      .limit(limit + 1)
      .getMany();
  }

  /**
   * Which of `values` the brand's orders already hold as the `data` field `field` of an event (an
   * imported EPCIS event's id): read on imports only, never on the ingest path.
   */
  async eventDataValuesPresent(
    brandId: string,
    orderIds: readonly string[],
    field: string,
    values: readonly string[],
  ): Promise<Set<string>> {
    if (orderIds.length === 0 || values.length === 0) return new Set();
    const rows = await this.dataSource.query<{ value: string }[]>(
      `SELECT DISTINCT e.record::jsonb -> 'data' ->> $3 AS value
         FROM events e JOIN orders o ON o.id = e.order_id
        WHERE o.brand_id = $1 AND e.order_id = ANY($2::text[]) AND e.record::jsonb -> 'data' ->> $3 = ANY($4::text[])`,
      [brandId, orderIds, field, values],
    );
    return new Set(rows.map((r) => r.value));
  }

  /** All events of an order in seq order; empty when the order is not the brand's (when one is given). */
  eventsOf(orderId: string, brandId: string | null): Promise<EventEntity[]> {
    const qb = this.dataSource
      .getRepository(EventEntity)
      .createQueryBuilder('e')
      .innerJoin('orders', 'o', 'o.id = e.order_id')
      .where('e.order_id = :orderId', { orderId });
    if (brandId !== null) qb.andWhere('o.brand_id = :brandId', { brandId });
    return qb.orderBy('e.seq', 'ASC').getMany();
  }

  /** Locks the brand's order for erasure; null when it is not there. */
  async lockForErasure(session: SqlSession, orderId: string, brandId: string): Promise<{ erasedAt: Date | null } | null> {
    const { rows } = await session.query<{ erased_at: Date | null }>(
      `SELECT erased_at FROM orders WHERE id = $1 AND brand_id = $2::uuid FOR UPDATE`,
      [orderId, brandId],
    );
    return rows.length === 0 ? null : { erasedAt: rows[0].erased_at };
  }

  /**
   * Erases an order's private fields: its wrapped key (without which no copy of its ciphertexts
   * opens) and the ciphertexts themselves, recording when, and the blind index of its contact
   * values (anomaly flags), which would otherwise still tie it to the brand's other orders.
   * Commitments stay in the records.
   */
  async erase(session: SqlSession, orderId: string, at: Date): Promise<void> {
    await session.query(
      `WITH erased AS (
         UPDATE orders SET wrapped_key = NULL, data_key_id = NULL, erased_at = $2 WHERE id = $1
       ),
       unindexed AS (
         DELETE FROM order_contact_index WHERE order_id = $1
       )
       UPDATE events SET sealed_private = NULL WHERE order_id = $1 AND sealed_private IS NOT NULL`,
      [orderId, at.toISOString()],
    );
  }

  /** Names of the sealed fields of the order's events. */
  async sealedFieldNames(session: SqlSession, orderId: string): Promise<string[]> {
    const { rows } = await session.query<{ name: string }>(
      `SELECT DISTINCT jsonb_object_keys((record::jsonb)->'sealed') AS name FROM events WHERE order_id = $1 ORDER BY name`,
      [orderId],
    );
    return rows.map((r) => r.name);
  }

  /** Locks up to `limit` order keys wrapped under one of the data keys `from`, in id order. */
  async lockKeysUnder(session: SqlSession, from: readonly string[], limit: number): Promise<{ id: string; wrapped: WrappedKey }[]> {
    const { rows } = await session.query<{ id: string; wrapped_key: Uint8Array; data_key_id: string }>(
      `SELECT id, wrapped_key, data_key_id FROM orders
        WHERE wrapped_key IS NOT NULL AND data_key_id IN (SELECT json_array_elements_text($1::json))
        ORDER BY id LIMIT $2 FOR UPDATE`,
      [JSON.stringify(from), limit],
    );
    return rows.map((r) => ({ id: r.id, wrapped: { wrapped: Buffer.from(r.wrapped_key), dataKeyId: r.data_key_id } }));
  }

  /** How many order keys each data key other than `current` wraps. */
  async keyCountsNotUnder(current: string): Promise<Map<string, number>> {
    const rows: { data_key_id: string; n: string }[] = await this.dataSource.query(
      `SELECT data_key_id, count(*) AS n FROM orders WHERE wrapped_key IS NOT NULL AND data_key_id <> $1 GROUP BY data_key_id`,
      [current],
    );
    return new Map(rows.map((r) => [r.data_key_id, Number(r.n)]));
  }

  /** Stores order keys (new wrappings, or keys for orders that had none). */
  async setKeys(session: SqlSession, keys: readonly { id: string; wrapped: WrappedKey }[]): Promise<void> {
    if (keys.length === 0) return;
    await session.query(
      `UPDATE orders o SET wrapped_key = decode(x.wrapped_key, 'base64'), data_key_id = x.data_key_id
         FROM json_to_recordset($1::json) AS x(id text, wrapped_key text, data_key_id text)
        WHERE o.id = x.id`,
      [
        JSON.stringify(
          keys.map((k) => ({ id: k.id, wrapped_key: k.wrapped.wrapped.toString('base64'), data_key_id: k.wrapped.dataKeyId })),
        ),
      ],
    );
  }

  /**
   * Orders after `afterId` holding private fields stored before per-order keys (format 1:
   * encrypted with the data key itself), locked, up to `limit` in id order, with those events.
   */
  async lockOrdersUnderDataKey(
    session: SqlSession,
    afterId: string,
    limit: number,
  ): Promise<{ id: string; wrapped: WrappedKey | null; events: { seq: number; sealed: Buffer }[] }[]> {
    const { rows } = await session.query<{ id: string; wrapped_key: Uint8Array | null; data_key_id: string | null }>(
      `SELECT o.id, o.wrapped_key, o.data_key_id FROM orders o
        WHERE o.id IN (SELECT DISTINCT e.order_id FROM events e
                        WHERE e.order_id > $1 AND e.sealed_private IS NOT NULL AND get_byte(e.sealed_private, 0) = 1
                        ORDER BY e.order_id LIMIT $2)
        ORDER BY o.id FOR UPDATE OF o`,
      [afterId, limit],
    );
    if (rows.length === 0) return [];
    const events = await session.query<{ order_id: string; seq: number; sealed_private: Uint8Array }>(
      `SELECT order_id, seq, sealed_private FROM events
        WHERE order_id IN (SELECT json_array_elements_text($1::json)) AND sealed_private IS NOT NULL AND get_byte(sealed_private, 0) = 1`,
      [JSON.stringify(rows.map((r) => r.id))],
    );
    return rows.map((r) => ({
      id: r.id,
      wrapped: r.wrapped_key === null || r.data_key_id === null ? null : { wrapped: Buffer.from(r.wrapped_key), dataKeyId: r.data_key_id },
      events: events.rows.filter((e) => e.order_id === r.id).map((e) => ({ seq: Number(e.seq), sealed: Buffer.from(e.sealed_private) })),
    }));
  }

  /** Replaces events' encrypted private fields. */
  async setSealed(session: SqlSession, events: readonly { orderId: string; seq: number; sealed: Buffer }[]): Promise<void> {
    if (events.length === 0) return;
    await session.query(
      `UPDATE events e SET sealed_private = decode(x.sealed, 'base64')
         FROM json_to_recordset($1::json) AS x(order_id text, seq int, sealed text)
        WHERE e.order_id = x.order_id AND e.seq = x.seq`,
      [JSON.stringify(events.map((e) => ({ order_id: e.orderId, seq: e.seq, sealed: e.sealed.toString('base64') })))],
    );
  }
}
