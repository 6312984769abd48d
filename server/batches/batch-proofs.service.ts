import { Injectable } from '@nestjs/common';
import type { AnchorProof } from '../../proof/bundle';
import type { Hex } from '../../proof/bytes';
import { MerkleTree, processProof, proofNodeOffsets } from '../../proof/merkle';
import { type AnchoringBatch, type EventBatchRow, BatchesRepository } from './batches.repository';

/** Trees kept in memory; a 10,000-leaf tree takes about 640 KB. */
const TREE_CACHE_SIZE = 16;

/** Proofs kept after their check: enough for the events of the orders exported most often. */
const PROOF_CACHE_SIZE = 50_000;

/** Leaves read per query when rebuilding trees: bounds the memory of one request. */
const LEAVES_PER_QUERY = 50_000;

function isConfirmed(b: AnchoringBatch): boolean {
  return b.status === 'confirmed' && b.txHash !== null && b.blockNumber !== null && b.blockHash !== null;
}

/** Where an event stands: not yet anchored (`pending`) or anchored with its inclusion proof. */
export type EventAnchorState =
  { status: 'pending'; batch: number | null; anchor: null } | { status: 'anchored'; batch: number; anchor: AnchorProof };

/**
 * Inclusion proofs of events. A batch's tree is stored when it is sealed, so a proof is a handful
 * of 32-byte nodes read from it, however large the batch and however many batches a bundle spans.
 * Batches sealed before trees were stored are rebuilt from their leaves in batch_index order, and
 * kept in a small LRU cache, since the root of a sealed batch never changes. Only confirmed batches
 * yield a proof: until then an event is pending.
 */
@Injectable()
export class BatchProofsService {
  private readonly trees = new Map<number, MerkleTree>();
  /** Checked proofs by `seq:index`, oldest first; a sealed batch's proofs never change. */
  private readonly checkedProofs = new Map<string, { root: string; leaf: Hex; nodes: Hex[] }>();

  constructor(private readonly batches: BatchesRepository) {}

  /** For each event id: its anchor proof, or null while its batch is not sealed or not confirmed. Unknown ids are absent. */
  async anchorsFor(eventIds: readonly string[]): Promise<Map<string, AnchorProof | null>> {
    return anchorsOf(await this.statesFor(eventIds));
  }

  /** The anchor proofs of events whose batches the caller read itself (a bundle reads them with its events), keyed by event id. */
  async anchorsOfRows(rows: readonly EventBatchRow<AnchoringBatch>[]): Promise<Map<string, AnchorProof | null>> {
    return anchorsOf(await this.statesOf(rows));
  }

  async statesFor(eventIds: readonly string[]): Promise<Map<string, EventAnchorState>> {
    return this.statesOf(await this.batches.eventBatches(eventIds));
  }

  private async statesOf(rows: readonly EventBatchRow<AnchoringBatch>[]): Promise<Map<string, EventAnchorState>> {
    const anchored = rows.filter((row) => row.batch !== null && row.batchIndex !== null && isConfirmed(row.batch));
    const proofs = await this.proofsOf(anchored.map((row) => ({ batch: row.batch!, index: row.batchIndex!, leaf: row.leaf as Hex })));
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
          proof: proofs.get(`${b.seq}:${row.batchIndex}`)!,
          txHash: b.txHash as Hex,
          blockNumber: Number(b.blockNumber),
          blockHash: b.blockHash as Hex,
        },
      });
    }
    return out;
  }

  /**
   * The proofs of these leaves, keyed `seq:index`: read from the stored trees in one query, or
   * from rebuilt trees for the batches that have none stored.
   */
  private async proofsOf(allLeaves: readonly { batch: AnchoringBatch; index: number; leaf: Hex }[]): Promise<Map<string, Hex[]>> {
    const out = new Map<string, Hex[]>();
    const leaves = allLeaves.filter(({ batch, index, leaf }) => {
      const proof = this.checkedProofs.get(`${batch.seq}:${index}`);
      if (proof === undefined || proof.root !== batch.root || proof.leaf !== leaf) return true;
      out.set(`${batch.seq}:${index}`, proof.nodes);
      return false;
    });
    if (leaves.length === 0) return out;
    const offsets = leaves.map(({ batch, index }) => proofNodeOffsets(batch.leafCount, index));
    const nodes = await this.batches.storedTreeNodes(
      leaves.flatMap(({ batch }, i) => offsets[i].map((offset) => ({ seq: batch.seq, offset }))),
    );
    const rebuild = new Map<number, AnchoringBatch>();
    leaves.forEach(({ batch, index, leaf }, i) => {
      const proof = offsets[i].map((offset) => nodes.get(`${batch.seq}:${offset}`) as Hex | undefined);
      if (!proof.every((node) => node !== undefined)) {
        rebuild.set(batch.seq, batch);
        return;
      }
      // Stored nodes must fold to the sealed root, as a rebuilt tree must match it.
      if (processProof(leaf, proof) !== batch.root) {
        throw new Error(`batch ${batch.seq}: the stored proof of leaf ${index} does not fold to the sealed root ${batch.root}`);
      }
      out.set(`${batch.seq}:${index}`, proof);
      this.rememberProof(batch, index, leaf, proof);
    });
    if (rebuild.size > 0) {
      const trees = await this.treesOf(rebuild);
      for (const { batch, index } of leaves) {
        if (rebuild.has(batch.seq)) out.set(`${batch.seq}:${index}`, trees.get(batch.seq)!.proof(index));
      }
    }
    return out;
  }

  /** A proof checked against its batch's sealed root, kept so that later exports skip the read and the check. */
  private rememberProof(batch: AnchoringBatch, index: number, leaf: Hex, nodes: Hex[]): void {
    const key = `${batch.seq}:${index}`;
    this.checkedProofs.delete(key);
    this.checkedProofs.set(key, { root: batch.root, leaf, nodes });
    if (this.checkedProofs.size > PROOF_CACHE_SIZE) this.checkedProofs.delete(this.checkedProofs.keys().next().value as string);
  }

  /**
   * The trees of these batches: cached ones as they are, the others rebuilt from their leaves, read
   * in as few queries as possible (at most about LEAVES_PER_QUERY leaves each), and checked
   * against the sealed root.
   */
  private async treesOf(batches: ReadonlyMap<number, Pick<AnchoringBatch, 'root' | 'leafCount'>>): Promise<Map<number, MerkleTree>> {
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

function anchorsOf(states: ReadonlyMap<string, EventAnchorState>): Map<string, AnchorProof | null> {
  const out = new Map<string, AnchorProof | null>();
  for (const [id, state] of states) out.set(id, state.anchor);
  return out;
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
