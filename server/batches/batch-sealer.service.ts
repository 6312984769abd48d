import { Injectable, Logger } from '@nestjs/common';
import { MerkleTree } from '../../proof/merkle';
import type { Hex } from '../../proof/bytes';
import { MetricsService } from '../metrics/metrics.service';
import { AppConfig } from '../config/app-config';
import { crashPoint } from '../anchoring/crash-points';
import { BatchesRepository, type SealedBatch } from './batches.repository';
import { yieldToLoop } from '../runtime/loop-slices';

/** At most this many batches per call, so one call stays bounded however long the queue is. */
const MAX_BATCHES_PER_RUN = 50;
/**
 * Inner nodes hashed per turn of the event loop while a tree is built: requests and ingest queued
 * meanwhile run between slices rather than wait for the whole tree.
 */
const TREE_SLICE_NODES = 512;

/**
 * Seals Merkle batches in seq order. Events get their batch and position when they are stored; a
 * batch is sealed once it is full (the writers moved on to the next one) or, while still open,
 * when it holds BATCH_MAX_EVENTS events or its first event is older than BATCH_MAX_WAIT_MS — then
 * it is closed first, so that no event joins it afterwards. Only the anchoring leader calls it (one
 * sealer at a time); the sealing transaction itself also refuses to double-seal.
 */
@Injectable()
export class BatchSealerService {
  private readonly logger = new Logger(BatchSealerService.name);

  constructor(
    private readonly batches: BatchesRepository,
    private readonly config: AppConfig,
    private readonly metrics: MetricsService,
  ) {}

  /** Seals every batch that is due now; returns them (empty when none was due). */
  async sealDue(): Promise<SealedBatch[]> {
    const { batchMaxEvents, batchMaxWaitMs } = this.config.anchoring;
    const sealed: SealedBatch[] = [];
    for (let i = 0; i < MAX_BATCHES_PER_RUN; i++) {
      const next = await this.batches.nextToSeal();
      if (next.open) {
        const due = (next.events ?? 0) >= batchMaxEvents || (next.ageMs !== null && next.ageMs >= batchMaxWaitMs);
        if (!due || !(await this.batches.closeOpenBatch(next.seq))) break;
      }
      const batch = await this.batches.sealClosed(next.seq, async (leaves) => {
        const tree = await MerkleTree.buildInSlices(leaves as Hex[], TREE_SLICE_NODES, yieldToLoop);
        return { root: tree.root, nodes: tree.nodes() };
      });
      if (batch === null) break;
      this.logger.log(
        `sealed batch ${batch.seq}: ${batch.leafCount} events (${batch.firstEventId}..${batch.lastEventId}), root ${batch.root}`,
      );
      this.metrics.batchesSealed.inc();
      this.metrics.eventsSealed.inc(batch.leafCount);
      sealed.push(batch);
      crashPoint('sealed');
    }
    return sealed;
  }
}
