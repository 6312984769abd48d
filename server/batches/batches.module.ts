import { Global, Module } from '@nestjs/common';
import { ChainModule } from '../anchoring/chain.module';
import { EVENT_ANCHOR_RESOLVER } from '../events/event-anchor';
import { BatchEventAnchorResolver } from './batch-event-anchor.resolver';
import { BatchProofs } from './batch-proofs.service';
import { BatchSealer } from './batch-sealer.service';
import { BatchesController } from './batches.controller';
import { BatchesRepository } from './batches.repository';
import { BatchesService } from './batches.service';

/**
 * Merkle batches: sealing (run by the anchoring leader), the batches API, and inclusion proofs for the
 * events API and bundles (`BatchProofs.anchorsFor(eventIds)`). Global so that the events module finds
 * EVENT_ANCHOR_RESOLVER without importing this module.
 */
@Global()
@Module({
  imports: [ChainModule],
  controllers: [BatchesController],
  providers: [
    BatchesRepository,
    BatchSealer,
    BatchProofs,
    BatchesService,
    BatchEventAnchorResolver,
    { provide: EVENT_ANCHOR_RESOLVER, useExisting: BatchEventAnchorResolver },
  ],
  exports: [BatchesRepository, BatchSealer, BatchProofs, EVENT_ANCHOR_RESOLVER],
})
export class BatchesModule {}
