import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { AnchoringBatch, EventBatchRow } from '../batches/batches.repository';
import type { BatchStatus } from '../batches/batch.entity';
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
      `SELECT e.id::text AS id, e.seq, e.record, e.leaf, e.sealed_private, e.batch_seq, e.batch_index,
              o.wrapped_key, o.data_key_id, o.erased_at,
              b.seq AS b_seq, b.root AS b_root, b.leaf_count AS b_leaf_count, b.status AS b_status,
              b.tx_hash AS b_tx_hash, b.block_number AS b_block_number, b.block_hash AS b_block_hash
         FROM events e
         JOIN orders o ON o.id = e.order_id
         LEFT JOIN batches b ON b.seq = e.batch_seq
        WHERE e.order_id = $1 AND ($2::uuid IS NULL OR o.brand_id = $2::uuid)
        ORDER BY e.seq`,
      [orderId, brandId],
    );
    return rows.map((r) => {
      const id = String(r.id);
      const leaf = String(r.leaf);
      // bigint: a decimal string from `pg`, maybe a number elsewhere.
      const blockNumber = r.b_block_number as string | number | null;
      return {
        id,
        seq: Number(r.seq),
        record: String(r.record),
        leaf,
        sealedPrivate: (r.sealed_private as Uint8Array | null) ?? null,
        wrappedKey:
          r.wrapped_key === null || r.data_key_id === null
            ? null
            : { wrapped: Buffer.from(r.wrapped_key as Uint8Array), dataKeyId: r.data_key_id as string },
        erasedAt: (r.erased_at as Date | null) ?? null,
        position: {
          eventId: id,
          batchSeq: r.batch_seq === null ? null : Number(r.batch_seq),
          batchIndex: r.batch_index === null ? null : Number(r.batch_index),
          leaf,
          batch:
            r.b_seq === null
              ? null
              : {
                  seq: Number(r.b_seq),
                  root: String(r.b_root),
                  leafCount: Number(r.b_leaf_count),
                  status: r.b_status as BatchStatus,
                  txHash: (r.b_tx_hash as string | null) ?? null,
                  blockNumber: blockNumber === null ? null : String(blockNumber),
                  blockHash: (r.b_block_hash as string | null) ?? null,
                },
        },
      };
    });
  }
}
