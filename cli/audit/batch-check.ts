/**
 * Audit of batches as stored: each batch's root recomputed from its events' leaves in batch_index
 * order. Rows arrive ordered by (batch seq, batch_index); only one batch's leaves are held at a time.
 * Comparing with the contract is left to the caller (it is I/O), via `onBatch`.
 */
import { isHex32 } from '../../proof/bytes';
import { MerkleTree } from '../../proof/merkle';
import type { Discrepancy } from './discrepancy';

export interface StoredBatchLeafRow {
  batch_seq: number;
  root: string;
  leaf_count: number;
  status: string;
  contract: string | null;
  chain_id: number | null;
  /** Null when the batch has no events at all (LEFT JOIN). */
  batch_index: number | null;
  leaf: string | null;
}

export interface StoredBatch {
  seq: number;
  root: string;
  leafCount: number;
  status: string;
  contract: string | null;
  chainId: number | null;
}

export class BatchCheck {
  private current: StoredBatch | null = null;
  private leaves: string[] = [];
  private positionsOk = true;
  batches = 0;
  leavesChecked = 0;

  constructor(
    private readonly report: (d: Discrepancy) => void,
    private readonly onBatch: (batch: StoredBatch) => void,
  ) {}

  add(row: StoredBatchLeafRow): void {
    if (this.current?.seq !== row.batch_seq) {
      this.finishBatch();
      this.current = {
        seq: row.batch_seq,
        root: row.root,
        leafCount: row.leaf_count,
        status: row.status,
        contract: row.contract,
        chainId: row.chain_id,
      };
      this.leaves = [];
      this.positionsOk = true;
      this.batches++;
    }
    if (row.batch_index === null || row.leaf === null) return;
    this.leavesChecked++;
    if (row.batch_index !== this.leaves.length) this.positionsOk = false;
    this.leaves.push(row.leaf);
  }

  finish(): void {
    this.finishBatch();
    this.current = null;
    this.leaves = [];
  }

  private finishBatch(): void {
    const batch = this.current;
    if (!batch) return;
    const at = { batch: batch.seq };
    if (this.leaves.length === 0) {
      this.report({ ...at, code: 'BATCH_POSITIONS', message: `batch ${batch.seq} (${batch.leafCount} leaves) has no events` });
    } else if (!this.positionsOk || this.leaves.length !== batch.leafCount) {
      this.report({
        ...at,
        code: 'BATCH_POSITIONS',
        message: `batch ${batch.seq} should hold ${batch.leafCount} events at positions 0..${batch.leafCount - 1}, but ${this.leaves.length} events are stored${this.positionsOk ? '' : ' and their positions have gaps or repeats'}`,
      });
    }
    if (this.leaves.length > 0) {
      if (!this.leaves.every(isHex32)) {
        this.report({
          ...at,
          code: 'BATCH_ROOT_MISMATCH',
          message: `batch ${batch.seq} has a stored leaf that is not 32-byte hex; its root cannot be recomputed`,
        });
      } else {
        const computed = MerkleTree.build(this.leaves).root;
        if (computed !== batch.root) {
          this.report({
            ...at,
            code: 'BATCH_ROOT_MISMATCH',
            message: `the root of batch ${batch.seq}'s ${this.leaves.length} leaves is ${computed}, but batches.root is ${batch.root}`,
          });
        }
      }
    }
    this.onBatch(batch);
  }
}
