import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { SqlSession } from '../database/sql-executor';
import { BatchEntity, type BatchStatus } from './batch.entity';

/** The next batch to seal and how far it has filled. */
export interface NextBatch {
  seq: number;
  /** Still taking new events (the ingest head points at it). */
  open: boolean;
  /** Events it holds so far; null for a closed batch, which is sealed whatever it holds. */
  events: number | null;
  /** Age of its first event by the database clock; null when it holds none. */
  ageMs: number | null;
}

export interface SealedBatch {
  seq: number;
  root: string;
  leafCount: number;
  firstEventId: string;
  lastEventId: string;
}

/** What an event's anchor and inclusion proof need of its batch. */
export type AnchoringBatch = Pick<BatchEntity, 'seq' | 'root' | 'leafCount' | 'status' | 'txHash' | 'blockNumber' | 'blockHash'>;

/** Where an event sits: its batch and position, and that batch's anchoring state. */
export interface EventBatchRow<B extends AnchoringBatch = BatchEntity> {
  eventId: string;
  batchSeq: number | null;
  batchIndex: number | null;
  leaf: string;
  batch: B | null;
}

export interface SubmissionFields {
  txHash: string;
  txNonce: number;
  chainId: number;
  contract: string;
}

export interface ConfirmationFields {
  txHash: string;
  blockNumber: number;
  blockHash: string;
  chainId: number;
  contract: string;
}

/** A batch whose positions are not 0..n-1: a broken invariant, so nothing is sealed. */
export class SealConflictError extends Error {
  constructor(seq: number, expected: number, found: number) {
    super(`batch ${seq} has no event at position ${expected} (found ${found}); nothing was sealed`);
    this.name = 'SealConflictError';
  }
}

const BATCH_COLUMNS = `
  b.seq, b.root, b.leaf_count, b.first_event_id, b.last_event_id, b.status, b.tx_hash, b.tx_nonce,
  b.block_number, b.block_hash, b.chain_id, b.contract, b.sealed_at, b.submitted_at, b.confirmed_at,
  b.attempts, b.last_error`;

const EVENT_COLUMNS = `e.id::text AS event_id, e.batch_seq AS event_batch_seq, e.batch_index AS event_batch_index, e.leaf AS event_leaf`;

const EVENT_BATCH_COLUMNS = `${EVENT_COLUMNS}, ${BATCH_COLUMNS.replace(/b\.(\w+)/g, 'b.$1 AS b_$1')}`;

/**
 * An event's position and only what its anchor needs of its batch (AnchoringBatch), for a query
 * that reads events `e` left-joined to `batches b`: fewer columns to parse per event than a whole
 * batch. Rows map with toAnchoringEventBatchRow.
 */
export const ANCHORING_EVENT_BATCH_COLUMNS = `${EVENT_COLUMNS}, b.seq AS b_seq, b.root AS b_root, b.leaf_count AS b_leaf_count,
  b.status AS b_status, b.tx_hash AS b_tx_hash, b.block_number AS b_block_number, b.block_hash AS b_block_hash`;

function toEventBatchRow<B extends AnchoringBatch>(
  r: Record<string, unknown>,
  batchOf: (row: Record<string, unknown>, prefix: string) => B,
): EventBatchRow<B> {
  return {
    eventId: String(r.event_id),
    batchSeq: r.event_batch_seq === null ? null : Number(r.event_batch_seq),
    batchIndex: r.event_batch_index === null ? null : Number(r.event_batch_index),
    leaf: String(r.event_leaf),
    batch: r.b_seq === null || r.b_seq === undefined ? null : batchOf(r, 'b_'),
  };
}

function toEventBatchRows(rows: Record<string, unknown>[]): EventBatchRow[] {
  return rows.map((r) => toEventBatchRow(r, toBatch));
}

/** A row read with ANCHORING_EVENT_BATCH_COLUMNS. */
export function toAnchoringEventBatchRow(r: Record<string, unknown>): EventBatchRow<AnchoringBatch> {
  return toEventBatchRow(r, toAnchoringBatch);
}

function toAnchoringBatch(row: Record<string, unknown>, prefix = ''): AnchoringBatch {
  const get = (k: string): unknown => row[prefix + k];
  return {
    seq: Number(get('seq')),
    root: String(get('root')),
    leafCount: Number(get('leaf_count')),
    status: get('status') as BatchStatus,
    txHash: (get('tx_hash') as string | null) ?? null,
    // bigint: a decimal string from `pg`, maybe a number elsewhere.
    blockNumber: get('block_number') === null ? null : String(get('block_number')),
    blockHash: (get('block_hash') as string | null) ?? null,
  };
}

function toBatch(row: Record<string, unknown>, prefix = ''): BatchEntity {
  const get = (k: string): unknown => row[prefix + k];
  const date = (v: unknown): Date | null => (v === null || v === undefined ? null : v instanceof Date ? v : new Date(v as string));
  const batch = Object.assign(new BatchEntity(), toAnchoringBatch(row, prefix));
  batch.firstEventId = String(get('first_event_id'));
  batch.lastEventId = String(get('last_event_id'));
  batch.txNonce = get('tx_nonce') === null ? null : Number(get('tx_nonce'));
  batch.chainId = get('chain_id') === null ? null : Number(get('chain_id'));
  batch.contract = (get('contract') as string | null) ?? null;
  batch.sealedAt = date(get('sealed_at'))!;
  batch.submittedAt = date(get('submitted_at'));
  batch.confirmedAt = date(get('confirmed_at'));
  batch.attempts = Number(get('attempts'));
  batch.lastError = (get('last_error') as string | null) ?? null;
  return batch;
}

/**
 * Every query on `batches` and on the batch columns of `events`. Raw SQL, identical on PostgreSQL and
 * PGlite; state changes are compare-and-set on the expected status so a stale writer changes nothing.
 */
@Injectable()
export class BatchesRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The batch after the last sealed one: closed (full, or closed by the sealer) or still open. */
  async nextToSeal(): Promise<NextBatch> {
    const rows: { seq: number; open_batch: number; next_index: number }[] = await this.dataSource.query(
      `SELECT (SELECT COALESCE(max(seq), 0) + 1 FROM batches) AS seq, h.open_batch, h.next_index FROM ingest_head h WHERE h.id = 1`,
    );
    if (rows.length === 0) throw new Error('ingest_head has no row: the database was not migrated');
    const seq = Number(rows[0].seq);
    const open = seq >= Number(rows[0].open_batch);
    if (!open) return { seq, open, events: null, ageMs: null };
    // The open batch holds exactly the positions handed out so far; its first event is its oldest.
    const events = Number(rows[0].next_index);
    if (events === 0) return { seq, open, events, ageMs: null };
    const first: { age_ms: number }[] = await this.dataSource.query(
      `SELECT (extract(epoch FROM (now() - created_at)) * 1000)::float8 AS age_ms FROM events WHERE batch_seq = $1 AND batch_index = 0`,
      [seq],
    );
    return { seq, open, events, ageMs: first.length === 0 ? null : Number(first[0].age_ms) };
  }

  /**
   * Stops the open batch `seq` from taking more events: new events go to the next one. Waits for
   * write groups holding the ingest head, so every event of the batch is committed when it returns
   * true. False when the batch was not open or still empty.
   */
  async closeOpenBatch(seq: number): Promise<boolean> {
    const result: [unknown[], number] = await this.dataSource.query(
      `UPDATE ingest_head SET open_batch = open_batch + 1, next_index = 0 WHERE id = 1 AND open_batch = $1 AND next_index > 0`,
      [seq],
    );
    return result[1] === 1;
  }

  /**
   * Seals the closed batch `seq`: its leaves in position order go to `computeRoot`, and its row is
   * inserted, in one transaction. The events already carry their positions, so nothing of them is
   * written. Returns null when the batch is still open or empty.
   */
  sealClosed(seq: number, buildTree: (leaves: string[]) => Promise<{ root: string; nodes: Uint8Array }>): Promise<SealedBatch | null> {
    return this.dataSource.transaction(async (manager: EntityManager) => {
      const [head]: { open_batch: number }[] = await manager.query(`SELECT open_batch FROM ingest_head WHERE id = 1`);
      if (seq >= Number(head.open_batch)) return null;
      const events: { id: string; leaf: string; batch_index: number }[] = await manager.query(
        `SELECT e.id::text AS id, e.leaf, e.batch_index FROM events e WHERE e.batch_seq = $1 ORDER BY e.batch_index`,
        [seq],
      );
      if (events.length === 0) return null;
      // Positions are taken one at a time under the ingest head's lock and never given back.
      events.forEach((e, i) => {
        if (Number(e.batch_index) !== i) throw new SealConflictError(seq, i, Number(e.batch_index));
      });
      const { root, nodes } = await buildTree(events.map((e) => e.leaf));
      let first = BigInt(events[0].id);
      let last = first;
      for (const e of events) {
        const id = BigInt(e.id);
        if (id < first) first = id;
        if (id > last) last = id;
      }
      // A concurrent sealer would collide on the primary key here and roll back.
      await manager.query(
        `INSERT INTO batches (seq, root, leaf_count, first_event_id, last_event_id, status, sealed_at)
         VALUES ($1, $2, $3, $4, $5, 'sealed', now())`,
        [seq, root, events.length, first.toString(), last.toString()],
      );
      await manager.query(`INSERT INTO batch_trees (seq, nodes) VALUES ($1, $2)`, [
        seq,
        Buffer.from(nodes.buffer, nodes.byteOffset, nodes.byteLength),
      ]);
      return { seq, root, leafCount: events.length, firstEventId: first.toString(), lastEventId: last.toString() };
    });
  }

  async findBySeq(seq: number): Promise<BatchEntity | null> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(`SELECT ${BATCH_COLUMNS} FROM batches b WHERE b.seq = $1`, [seq]);
    return rows.length === 0 ? null : toBatch(rows[0]);
  }

  /** Newest first; `beforeSeq` is the cursor (the last seq of the previous page). */
  async list(limit: number, beforeSeq: number | null): Promise<BatchEntity[]> {
    const rows: Record<string, unknown>[] =
      beforeSeq === null
        ? await this.dataSource.query(`SELECT ${BATCH_COLUMNS} FROM batches b ORDER BY b.seq DESC LIMIT $1`, [limit])
        : await this.dataSource.query(`SELECT ${BATCH_COLUMNS} FROM batches b WHERE b.seq < $2 ORDER BY b.seq DESC LIMIT $1`, [
            limit,
            beforeSeq,
          ]);
    return rows.map((r) => toBatch(r));
  }

  /** Oldest first after `afterSeq`, for the public transparency listing. */
  async listAfter(afterSeq: number, limit: number): Promise<BatchEntity[]> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT ${BATCH_COLUMNS} FROM batches b WHERE b.seq > $1 ORDER BY b.seq LIMIT $2`,
      [afterSeq, limit],
    );
    return rows.map((r) => toBatch(r));
  }

  /** Leaves `offset`..`offset+limit-1` of a batch in tree order (a page of `leavesOf`). */
  async leavesPage(seq: number, offset: number, limit: number): Promise<string[]> {
    const rows: { leaf: string }[] = await this.dataSource.query(
      `SELECT leaf FROM events WHERE batch_seq = $1 AND batch_index >= $2 ORDER BY batch_index LIMIT $3`,
      [seq, offset, limit],
    );
    return rows.map((r) => r.leaf);
  }

  /** Batches still to anchor or confirm, in seq order. */
  async unconfirmed(limit: number): Promise<BatchEntity[]> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT ${BATCH_COLUMNS} FROM batches b WHERE b.status <> 'confirmed' ORDER BY b.seq LIMIT $1`,
      [limit],
    );
    return rows.map((r) => toBatch(r));
  }

  async latestConfirmed(): Promise<BatchEntity | null> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT ${BATCH_COLUMNS} FROM batches b WHERE b.status = 'confirmed' ORDER BY b.seq DESC LIMIT 1`,
    );
    return rows.length === 0 ? null : toBatch(rows[0]);
  }

  /** Confirmed batches with seq in [fromSeq, toSeq], ascending. */
  async confirmedBetween(fromSeq: number, toSeq: number): Promise<BatchEntity[]> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT ${BATCH_COLUMNS} FROM batches b WHERE b.status = 'confirmed' AND b.seq BETWEEN $1 AND $2 ORDER BY b.seq`,
      [fromSeq, toSeq],
    );
    return rows.map((r) => toBatch(r));
  }

  /**
   * How long the oldest event not yet in a confirmed batch has waited, in ms; null when every event is
   * anchored. Batches are confirmed in seq order, so that event is the first of the batch after the
   * last confirmed one.
   */
  async oldestUnanchoredAgeMs(): Promise<number | null> {
    const rows: { age_ms: number }[] = await this.dataSource.query(
      `SELECT (extract(epoch FROM (now() - e.created_at)) * 1000)::float8 AS age_ms FROM events e
        WHERE e.batch_seq = (SELECT COALESCE(max(seq), 0) + 1 FROM batches WHERE status = 'confirmed') AND e.batch_index = 0`,
    );
    return rows.length === 0 ? null : Number(rows[0].age_ms);
  }

  async stats(): Promise<{ total: number; confirmed: number }> {
    const rows: { total: number; confirmed: number }[] = await this.dataSource.query(
      `SELECT count(*)::int AS total, (count(*) FILTER (WHERE status = 'confirmed'))::int AS confirmed FROM batches`,
    );
    return { total: Number(rows[0].total), confirmed: Number(rows[0].confirmed) };
  }

  /** The batch's leaves in batch order, to rebuild its tree. */
  async leavesOf(seq: number): Promise<string[]> {
    const rows: { leaf: string }[] = await this.dataSource.query(`SELECT leaf FROM events WHERE batch_seq = $1 ORDER BY batch_index`, [
      seq,
    ]);
    return rows.map((r) => r.leaf);
  }

  /** The leaves of several batches in one query, each batch's in batch_index order. */
  async leavesOfBatches(seqs: readonly number[]): Promise<Map<number, string[]>> {
    const out = new Map<number, string[]>(seqs.map((s) => [s, []]));
    if (seqs.length === 0) return out;
    const rows: { batch_seq: number; leaf: string }[] = await this.dataSource.query(
      `SELECT batch_seq, leaf FROM events
        WHERE batch_seq IN (SELECT v::int FROM jsonb_array_elements_text($1::jsonb) AS v)
        ORDER BY batch_seq, batch_index`,
      [JSON.stringify(seqs)],
    );
    for (const row of rows) out.get(Number(row.batch_seq))?.push(row.leaf);
    return out;
  }

  /**
   * 32-byte nodes of stored batch trees (batch_trees) at the given byte offsets, as hex, keyed
   * `seq:offset`. Batches sealed before trees were stored have none.
   */
  async storedTreeNodes(wanted: readonly { seq: number; offset: number }[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    if (wanted.length === 0) return out;
    const rows: { seq: number; off: number; node: Uint8Array }[] = await this.dataSource.query(
      `SELECT x.seq, x.off, substring(t.nodes FROM x.off + 1 FOR 32) AS node
         FROM json_to_recordset($1::json) AS x(seq int, off int)
         JOIN batch_trees t ON t.seq = x.seq`,
      [JSON.stringify(wanted.map((w) => ({ seq: w.seq, off: w.offset })))],
    );
    for (const row of rows) out.set(`${Number(row.seq)}:${Number(row.off)}`, `0x${Buffer.from(row.node).toString('hex')}`);
    return out;
  }

  async eventBatches(eventIds: readonly string[]): Promise<EventBatchRow[]> {
    if (eventIds.length === 0) return [];
    return toEventBatchRows(
      await this.dataSource.query(
        `SELECT ${EVENT_BATCH_COLUMNS}
           FROM events e LEFT JOIN batches b ON b.seq = e.batch_seq
          WHERE e.id IN (SELECT v::bigint FROM jsonb_array_elements_text($1::jsonb) AS v)`,
        [JSON.stringify(eventIds)],
      ),
    );
  }

  /**
   * Records a signed anchoring transaction before it is broadcast (so a crash after sending still
   * knows its hash and nonce). Allowed from sealed, or from submitted with `previousTxHash` (a
   * replacement). Returns false when the batch was not in the expected state.
   */
  async markSubmitted(seq: number, previousTxHash: string | null, tx: SubmissionFields): Promise<boolean> {
    const result: [unknown[], number] = await this.dataSource.query(
      `UPDATE batches SET status = 'submitted', tx_hash = $2, tx_nonce = $3, chain_id = $4, contract = $5,
              submitted_at = now(), attempts = attempts + 1, last_error = NULL,
              block_number = NULL, block_hash = NULL, confirmed_at = NULL
        WHERE seq = $1 AND status <> 'confirmed' AND tx_hash IS NOT DISTINCT FROM $6`,
      [seq, tx.txHash, tx.txNonce, tx.chainId, tx.contract, previousTxHash],
    );
    return result[1] === 1;
  }

  /** Inside `session`'s transaction, so that what reports the confirmation (webhook messages) commits with it. */
  async markConfirmed(session: SqlSession, seq: number, previousTxHash: string | null, c: ConfirmationFields): Promise<boolean> {
    const { rowCount } = await session.query(
      `UPDATE batches SET status = 'confirmed', tx_hash = $2, block_number = $3, block_hash = $4, chain_id = $5,
              contract = $6, confirmed_at = now(), last_error = NULL
        WHERE seq = $1 AND status <> 'confirmed' AND tx_hash IS NOT DISTINCT FROM $7`,
      [seq, c.txHash, c.blockNumber, c.blockHash, c.chainId, c.contract, previousTxHash],
    );
    return rowCount === 1;
  }

  /** Forgets a transaction that can no longer anchor the batch (its nonce went to something else). */
  async backToSealed(seq: number, previousTxHash: string | null, reason: string): Promise<boolean> {
    const result: [unknown[], number] = await this.dataSource.query(
      `UPDATE batches SET status = 'sealed', tx_hash = NULL, tx_nonce = NULL, block_number = NULL, block_hash = NULL,
              confirmed_at = NULL, submitted_at = NULL, last_error = $3
        WHERE seq = $1 AND status <> 'confirmed' AND tx_hash IS NOT DISTINCT FROM $2`,
      [seq, previousTxHash, reason],
    );
    return result[1] === 1;
  }

  /**
   * Sends every batch from `fromSeq` on back to sealed (reorg, chain reset, new contract): on-chain seqs
   * are gapless, so nothing after the first affected batch can stay anchored. Returns how many changed.
   */
  async resetFrom(fromSeq: number, reason: string): Promise<number> {
    const result: [unknown[], number] = await this.dataSource.query(
      `UPDATE batches SET status = 'sealed', tx_hash = NULL, tx_nonce = NULL, block_number = NULL, block_hash = NULL,
              chain_id = NULL, contract = NULL, submitted_at = NULL, confirmed_at = NULL, last_error = $2
        WHERE seq >= $1 AND (status <> 'sealed' OR tx_hash IS NOT NULL)`,
      [fromSeq, reason],
    );
    return result[1];
  }

  async recordError(seq: number, message: string): Promise<void> {
    await this.dataSource.query(`UPDATE batches SET last_error = $2 WHERE seq = $1`, [seq, message.slice(0, 2000)]);
  }
}
