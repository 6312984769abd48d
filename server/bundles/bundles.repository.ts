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

/** How many characters of records the cache of recently exported orders holds at most. */
const RECORD_CACHE_CHARS = 16 * 1024 * 1024;

/** A stored record as read, and the version of its row then. */
export interface CachedRecord {
  record: string;
  /**
   * The row version it was read from (`xmin` and `ctid`): any change to the row through PostgreSQL
   * writes a new version, so a record altered in the database is never served from the cache.
   */
  version: string;
}

/**
 * The stored records of recently exported orders, by seq. A record does not change once stored (it
 * is what was hashed; erasure removes private values beside it, not the record), so an order
 * exported again reads only the versions of the rows it has seen and the records appended since.
 * The least recently exported orders go first when the cache is full.
 */
export class StoredRecordCache {
  private readonly orders = new Map<string, { records: Map<number, CachedRecord>; upToSeq: number; chars: number }>();
  private chars = 0;

  constructor(private readonly maxChars = RECORD_CACHE_CHARS) {}

  /** The order's records up to the highest seq cached (every record at or below it is cached); null if none. */
  recordsOf(orderId: string): { records: ReadonlyMap<number, CachedRecord>; upToSeq: number } | null {
    const entry = this.orders.get(orderId);
    if (entry === undefined) return null;
    this.orders.delete(orderId);
    this.orders.set(orderId, entry);
    return entry;
  }

  /** Keeps every record of the order up to `rows`' last seq (all of them, in seq order). */
  remember(orderId: string, rows: readonly ({ seq: number } & CachedRecord)[]): void {
    if (rows.length === 0) return;
    const records = new Map(rows.map((r) => [r.seq, { record: r.record, version: r.version }]));
    const chars = rows.reduce((sum, r) => sum + r.record.length, 0);
    this.forget(orderId);
    if (chars > this.maxChars) return;
    this.orders.set(orderId, { records, upToSeq: rows[rows.length - 1].seq, chars });
    this.chars += chars;
    for (const [oldest, entry] of this.orders) {
      if (this.chars <= this.maxChars) break;
      this.orders.delete(oldest);
      this.chars -= entry.chars;
    }
  }

  private forget(orderId: string): void {
    const entry = this.orders.get(orderId);
    if (entry === undefined) return;
    this.orders.delete(orderId);
    this.chars -= entry.chars;
  }
}

@Injectable()
export class BundlesRepository {
  private readonly records = new StoredRecordCache();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * All events of the order in seq order, each with its batch; empty when the order is not the
   * brand's (when one is given). One statement: an export waits for a single answer, however
   * busy the process is with other work between answers. A record cached from the same version of
   * its row is not read again.
   */
  async eventsOfOrder(orderId: string, brandId: string | null): Promise<BundleEventRow[]> {
    const cached = this.records.recordsOf(orderId);
    let rows = await this.query(orderId, brandId, cached?.upToSeq ?? 0);
    const fromCache = (row: { seq: number; version: string }): string | undefined => {
      const hit = cached?.records.get(row.seq);
      return hit !== undefined && hit.version === row.version ? hit.record : undefined;
    };
    // A row changed since it was cached (or, never expected, a seq missing): read every record afresh.
    if (rows.some((row) => row.record === null && fromCache(row) === undefined)) rows = await this.query(orderId, brandId, 0);
    const events = rows.map((row) => ({ ...row, record: row.record ?? fromCache(row)! }));
    this.records.remember(orderId, events);
    return events;
  }

  /** The rows, with the record of each event at or below `cachedUpToSeq` left out (null). */
  private async query(
    orderId: string,
    brandId: string | null,
    cachedUpToSeq: number,
  ): Promise<(Omit<BundleEventRow, 'record'> & { record: string | null; version: string })[]> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT ${ANCHORING_EVENT_BATCH_COLUMNS}, e.seq, CASE WHEN e.seq > $3 THEN e.record END AS record,
              e.xmin::text || '/' || e.ctid::text AS row_version,
              e.sealed_private, o.wrapped_key, o.data_key_id, o.erased_at
         FROM events e
         JOIN orders o ON o.id = e.order_id
         LEFT JOIN batches b ON b.seq = e.batch_seq
        WHERE e.order_id = $1 AND ($2::uuid IS NULL OR o.brand_id = $2::uuid)
        ORDER BY e.seq`,
      [orderId, brandId, cachedUpToSeq],
    );
    return rows.map((r) => {
      const position = toAnchoringEventBatchRow(r);
      return {
        id: position.eventId,
        seq: Number(r.seq),
        record: (r.record as string | null) ?? null,
        version: r.row_version as string,
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
