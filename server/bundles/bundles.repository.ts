import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import {
  type AnchoringBatch,
  ANCHORING_EVENT_BATCH_COLUMNS,
  type EventBatchRow,
  toAnchoringEventBatchRow,
} from '../batches/batches.repository';
import type { WrappedKey } from '../config/data-key-ring';

/** An event of an order as a bundle needs it, with its batch for BatchProofsService to turn into an anchor. */
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
  /** Where the event sits and its batch (null until sealed), as BatchProofsService.anchorsOfRows reads it. */
  position: EventBatchRow<AnchoringBatch>;
}

@Injectable()
export class BundlesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * All events of the order in seq order, each with its batch; empty when the order is not the
   * brand's (when one is given). One statement: an export waits for a single answer, however
   * busy the process is with other work between answers.
   */
  async eventsOfOrder(orderId: string, brandId: string | null): Promise<BundleEventRow[]> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT ${ANCHORING_EVENT_BATCH_COLUMNS}, e.seq, e.record, e.sealed_private, o.wrapped_key, o.data_key_id, o.erased_at
         FROM events e
         JOIN orders o ON o.id = e.order_id
         LEFT JOIN batches b ON b.seq = e.batch_seq
        WHERE e.order_id = $1 AND ($2::uuid IS NULL OR o.brand_id = $2::uuid)
        ORDER BY e.seq`,
      [orderId, brandId],
    );
    return rows.map((r) => {
      const position = toAnchoringEventBatchRow(r);
      return {
        id: position.eventId,
        seq: Number(r.seq),
        record: String(r.record),
        leaf: position.leaf,
        sealedPrivate: (r.sealed_private as Uint8Array | null) ?? null,
        wrappedKey:
          r.wrapped_key === null || r.data_key_id === null
            ? null
            : { wrapped: Buffer.from(r.wrapped_key as Uint8Array), dataKeyId: r.data_key_id as string },
        erasedAt: (r.erased_at as Date | null) ?? null,
        position,
      };
    });
  }
}
