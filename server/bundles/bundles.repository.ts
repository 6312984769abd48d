import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { WrappedKey } from '../config/data-key-ring';

/** An event of an order as a bundle needs it; anchors come from BatchProofsService. */
export interface BundleEventRow {
  id: string;
  seq: number;
  record: string;
  leaf: string;
  sealedPrivate: Uint8Array | null;
  /** The order's key for private fields, wrapped; null before per-order keys and after erasure. */
  wrappedKey: WrappedKey | null;
  /** When the order's private fields were erased; null while kept. */
  erasedAt: Date | null;
}

@Injectable()
export class BundlesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** All events of the order in seq order; empty when the order is not the brand's (when one is given). */
  async eventsOfOrder(orderId: string, brandId: string | null): Promise<BundleEventRow[]> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT e.id::text AS id, e.seq, e.record, e.leaf, e.sealed_private, o.wrapped_key, o.data_key_id, o.erased_at
         FROM events e
         JOIN orders o ON o.id = e.order_id
        WHERE e.order_id = $1 AND ($2::uuid IS NULL OR o.brand_id = $2::uuid)
        ORDER BY e.seq`,
      [orderId, brandId],
    );
    return rows.map((r) => ({
      id: String(r.id),
      seq: Number(r.seq),
      record: String(r.record),
      leaf: String(r.leaf),
      sealedPrivate: (r.sealed_private as Uint8Array | null) ?? null,
      wrappedKey:
        r.wrapped_key === null || r.data_key_id === null
          ? null
          : { wrapped: Buffer.from(r.wrapped_key as Uint8Array), dataKeyId: r.data_key_id as string },
      erasedAt: (r.erased_at as Date | null) ?? null,
    }));
  }
}
