import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { Hex } from '../../proof/bytes';
import { queryRows } from '../database/query-rows';
import { EventEntity } from './event.entity';

/** An order's chain head, locked for the rest of the transaction by advanceOrderHead. */
export interface LockedOrderHead {
  orderId: string;
  brandId: string;
  brandSlug: string;
  /** The seq the new event takes. */
  seq: number;
  /** Leaf of the previous event (seq - 1). */
  prevLeaf: Hex | null;
  status: string;
}

@Injectable()
export class EventsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Takes the next seq of an order by incrementing `last_seq` in place: the row lock this UPDATE
   * holds until commit makes concurrent appends to one order queue up, so seqs never repeat
   * or skip. Null when the order does not exist (for this brand, when one is given).
   */
  async advanceOrderHead(tx: EntityManager, orderId: string, brandId: string | null): Promise<LockedOrderHead | null> {
    const rows = await queryRows<{ brand_id: string; brand_slug: string; last_seq: number; last_leaf: string | null; status: string }>(
      tx,
      `UPDATE orders o SET last_seq = o.last_seq + 1
         FROM brands b
        WHERE o.id = $1 AND b.id = o.brand_id AND ($2::uuid IS NULL OR o.brand_id = $2::uuid)
      RETURNING o.brand_id, b.slug AS brand_slug, o.last_seq, o.last_leaf, o.status`,
      [orderId, brandId],
    );
    if (rows.length === 0) return null;
    const row = rows[0];
    return {
      orderId,
      brandId: row.brand_id,
      brandSlug: row.brand_slug,
      seq: Number(row.last_seq),
      prevLeaf: row.last_leaf as Hex | null,
      status: row.status,
    };
  }

  async setOrderHead(tx: EntityManager, orderId: string, head: { leaf: Hex; status: string; updatedAt: Date }): Promise<void> {
    await queryRows(tx, `UPDATE orders SET last_leaf = $2, status = $3, updated_at = $4 WHERE id = $1`, [
      orderId,
      head.leaf,
      head.status,
      head.updatedAt,
    ]);
  }

  /** Inserts the event and returns its id (global ingest order). */
  async insert(tx: EntityManager, row: Omit<EventEntity, 'id'>): Promise<string> {
    const result = await tx.getRepository(EventEntity).insert(row);
    return String(result.identifiers[0].id);
  }

  /** All events of an order in seq order; empty when the order is not the brand's. */
  listForOrder(orderId: string, brandId: string | null): Promise<EventEntity[]> {
    const qb = this.dataSource
      .getRepository(EventEntity)
      .createQueryBuilder('e')
      .innerJoin('orders', 'o', 'o.id = e.order_id')
      .where('e.order_id = :orderId', { orderId });
    if (brandId !== null) qb.andWhere('o.brand_id = :brandId', { brandId });
    return qb.orderBy('e.seq', 'ASC').getMany();
  }
}
