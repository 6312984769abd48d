import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

/** An event of an order with what a bundle needs of its batch. */
export interface BundleEventRow {
  id: string;
  seq: number;
  record: string;
  leaf: string;
  sealedPrivate: Uint8Array | null;
  batchSeq: number | null;
  batchIndex: number | null;
  /** Null when the event is in no batch (or its batch row is missing). */
  batch: {
    root: string;
    leafCount: number;
    status: string;
    txHash: string | null;
    blockNumber: number | null;
    blockHash: string | null;
  } | null;
}

@Injectable()
export class BundlesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** All events of the order in seq order, with their batches; empty when the order is not the brand's (when one is given). */
  async eventsOfOrder(orderId: string, brandId: string | null): Promise<BundleEventRow[]> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT e.id::text AS id, e.seq, e.record, e.leaf, e.sealed_private, e.batch_seq, e.batch_index,
              b.seq AS b_seq, b.root AS b_root, b.leaf_count AS b_leaf_count, b.status AS b_status,
              b.tx_hash AS b_tx_hash, b.block_number::text AS b_block_number, b.block_hash AS b_block_hash
         FROM events e
         JOIN orders o ON o.id = e.order_id
         LEFT JOIN batches b ON b.seq = e.batch_seq
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
      batchSeq: r.batch_seq === null ? null : Number(r.batch_seq),
      batchIndex: r.batch_index === null ? null : Number(r.batch_index),
      batch:
        r.b_seq === null || r.b_seq === undefined
          ? null
          : {
              root: String(r.b_root),
              leafCount: Number(r.b_leaf_count),
              status: String(r.b_status),
              txHash: (r.b_tx_hash as string | null) ?? null,
              blockNumber: r.b_block_number === null ? null : Number(r.b_block_number),
              blockHash: (r.b_block_hash as string | null) ?? null,
            },
    }));
  }
}
