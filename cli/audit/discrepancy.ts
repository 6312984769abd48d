/** What `ordertrace audit` reports: one entry per thing found wrong, naming where it is. */
export type DiscrepancyCode =
  /** events.record is not JSON. */
  | 'RECORD_NOT_JSON'
  /** events.record is not its own RFC 8785 canonical form (edited outside ordertrace). */
  | 'RECORD_NOT_CANONICAL'
  /** events.record is not a valid v1 event record. */
  | 'RECORD_MALFORMED'
  /** The record's order/seq/type/brand differ from the row's columns or the order's brand. */
  | 'RECORD_COLUMN_MISMATCH'
  /** The stored leaf is not the hash of the stored record. */
  | 'LEAF_MISMATCH'
  /** An order's events do not run 1..n (missing or duplicated seq). */
  | 'SEQ_GAP'
  /** record.prev is not the previous event's leaf. */
  | 'PREV_MISMATCH'
  /** orders.last_seq / last_leaf disagree with the order's last event. */
  | 'ORDER_HEAD_MISMATCH'
  /** An event names a batch that does not exist. */
  | 'BATCH_MISSING'
  /** A batch's events do not occupy positions 0..leaf_count-1 exactly once. */
  | 'BATCH_POSITIONS'
  /** The root recomputed from the batch's leaves differs from batches.root. */
  | 'BATCH_ROOT_MISMATCH'
  /** A confirmed batch has no root in the contract. */
  | 'BATCH_NOT_ON_CHAIN'
  /** The contract's root for the batch differs from batches.root. */
  | 'CHAIN_ROOT_MISMATCH'
  /** The batch row records another contract or chain than the one audited. */
  | 'BATCH_CONTRACT_MISMATCH'
  /** The contract holds batches the database (or the public API) does not know. */
  | 'CHAIN_AHEAD'
  /** The anchoring transaction the public API names is not on chain, failed, or lacks the batch's Anchored log. */
  | 'ANCHOR_TX_MISMATCH'
  /** The JSON-RPC endpoints of the trust file gave different answers about the batch. */
  | 'ENDPOINTS_DISAGREE'
  /** An anchored event's inclusion proof does not fold to the checked root of its batch (audit --api --key). */
  | 'PROOF_MISMATCH'
  /** Audit trail: entries do not run 1..n (one missing, removed or repeated). */
  | 'AUDIT_SEQ_GAP'
  /** Audit trail: an entry's prev is not the previous entry's hash. */
  | 'AUDIT_PREV_MISMATCH'
  /** Audit trail: an entry does not hash to its stated hash (edited after it was written). */
  | 'AUDIT_HASH_MISMATCH'
  /** Audit trail: the head row names another last entry than the log holds. */
  | 'AUDIT_HEAD_MISMATCH';

export interface Discrepancy {
  code: DiscrepancyCode;
  order?: string;
  seq?: number;
  batch?: number;
  /** The audit trail entry's seq. */
  entry?: number;
  message: string;
}

/** Keeps the first `limit` discrepancies in memory and counts the rest: a ruined database must not exhaust memory. */
export class DiscrepancyLog {
  readonly kept: Discrepancy[] = [];
  count = 0;

  constructor(private readonly limit = 10_000) {}

  add(d: Discrepancy): void {
    this.count++;
    if (this.kept.length < this.limit) this.kept.push(d);
  }

  get truncated(): boolean {
    return this.count > this.kept.length;
  }
}
