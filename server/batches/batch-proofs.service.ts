import { Injectable } from '@nestjs/common';
import type { AnchorProof } from '../../proof/bundle';
import type { Hex } from '../../proof/bytes';
import { MerkleTree } from '../../proof/merkle';
import type { BatchEntity } from './batch.entity';
import { BatchesRepository } from './batches.repository';

/** Trees kept in memory; a 10,000-leaf tree takes about 640 KB. */
const TREE_CACHE_SIZE = 16;

/** Leaves read per query when rebuilding trees: bounds the memory of one request. */
const LEAVES_PER_QUERY = 50_000;

function isConfirmed(b: BatchEntity): boolean {
  return b.status === 'confirmed' && b.txHash !== null && b.blockNumber !== null && b.blockHash !== null;
}

/** Where an event stands: not yet anchored (`pending`) or anchored with its inclusion proof. */
export type EventAnchorState =
  { status: 'pending'; batch: number | null; anchor: null } | { status: 'anchored'; batch: number; anchor: AnchorProof };

/**
 * Inclusion proofs of events, recomputed on demand: a batch's tree is rebuilt from its leaves in
 * batch_index order and kept in a small LRU cache, since the root of a sealed batch never changes.
 * Measured for a 10,000-leaf batch (test/e2e/sealer.spec.ts, 2-core machine): 0.3-0.8 s cold (about
 * 0.15 s reading the leaves, 0.1-0.4 s hashing), then well under 1 ms per proof from the cached tree.
 * Cheap enough that storing trees is not worth a second copy of every leaf. Only confirmed batches yield a proof:
 * until then an event is pending.
 */
@Injectable()
export class BatchProofsService {
  private readonly trees = new Map<number, MerkleTree>();

  constructor(private readonly batches: BatchesRepository) {}

  /** For each event id: its anchor proof, or null while its batch is not sealed or not confirmed. Unknown ids are absent. */
  async anchorsFor(eventIds: readonly string[]): Promise<Map<string, AnchorProof | null>> {
    const states = await this.statesFor(eventIds);
    const out = new Map<string, AnchorProof | null>();
    for (const [id, state] of states) out.set(id, state.anchor);
    return out;
  }

  async statesFor(eventIds: readonly string[]): Promise<Map<string, EventAnchorState>> {
    const rows = await this.batches.eventBatches(eventIds);
    const confirmed = new Map<number, BatchEntity>();
    for (const row of rows) if (row.batch !== null && isConfirmed(row.batch)) confirmed.set(row.batch.seq, row.batch);
    const trees = await this.treesOf(confirmed);
    const out = new Map<string, EventAnchorState>();
    for (const row of rows) {
      const b = row.batch;
      if (b === null || row.batchIndex === null || !isConfirmed(b)) {
        // An event names its batch from the start; the batch exists once it is sealed.
        out.set(row.eventId, { status: 'pending', batch: b === null ? null : row.batchSeq, anchor: null });
        continue;
      }
      out.set(row.eventId, {
        status: 'anchored',
        batch: b.seq,
        anchor: {
          batch: b.seq,
          root: b.root as Hex,
          proof: trees.get(b.seq)!.proof(row.batchIndex),
          txHash: b.txHash as Hex,
          blockNumber: Number(b.blockNumber),
          blockHash: b.blockHash as Hex,
        },
      });
    }
    return out;
  }

  /**
   * The trees of these batches: cached ones as they are, the others rebuilt from their leaves, read
   * in as few queries as possible (at most about LEAVES_PER_QUERY leaves each), and checked
   * against the sealed root.
   */
  private async treesOf(batches: ReadonlyMap<number, Pick<BatchEntity, 'root' | 'leafCount'>>): Promise<Map<number, MerkleTree>> {
    const out = new Map<number, MerkleTree>();
    const missing: number[] = [];
    for (const [seq, batch] of batches) {
      const cached = this.cached(seq, batch.root);
      if (cached) out.set(seq, cached);
      else missing.push(seq);
    }
    for (const group of queryGroups(
      missing.sort((a, b) => a - b),
      batches,
    )) {
      const leaves = await this.batches.leavesOfBatches(group);
      for (const seq of group) out.set(seq, this.remember(seq, batches.get(seq)!.root, leaves.get(seq) ?? []));
    }
    return out;
  }

  private cached(seq: number, root: string): MerkleTree | undefined {
    const tree = this.trees.get(seq);
    if (tree === undefined || tree.root !== root) return undefined;
    this.trees.delete(seq); // LRU: move to the end
    this.trees.set(seq, tree);
    return tree;
  }

  private remember(seq: number, root: string, leaves: string[]): MerkleTree {
    const tree = MerkleTree.build(leaves as Hex[]);
    if (tree.root !== root) {
      // Our own data disagrees with itself: a bug or tampering in the database, never a caller's fault.
      throw new Error(`batch ${seq}: rebuilt root ${tree.root} differs from the sealed root ${root}`);
    }
    this.trees.set(seq, tree);
    if (this.trees.size > TREE_CACHE_SIZE) this.trees.delete(this.trees.keys().next().value as number);
    return tree;
  }
}

/** Consecutive batches grouped so that one query reads at most about LEAVES_PER_QUERY leaves. */
function queryGroups(seqs: readonly number[], batches: ReadonlyMap<number, { leafCount: number }>): number[][] {
  const groups: number[][] = [];
  let current: number[] = [];
  let leaves = 0;
  for (const seq of seqs) {
    const count = batches.get(seq)?.leafCount ?? 0;
    if (current.length > 0 && leaves + count > LEAVES_PER_QUERY) {
      groups.push(current);
      current = [];
      leaves = 0;
    }
    current.push(seq);
    leaves += count;
  }
  if (current.length > 0) groups.push(current);
  return groups;
}
