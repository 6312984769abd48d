import { Module } from '@nestjs/common';
import { ChainModule } from '../anchoring/chain.module';
import { AppConfigModule } from '../config/app-config.module';
import { BatchEventAnchorResolver } from './batch-event-anchor.resolver';
import { BatchProofs } from './batch-proofs.service';
import { BatchSealer } from './batch-sealer.service';
import { BatchesController } from './batches.controller';
import { BatchesRepository } from './batches.repository';
import { BatchesService } from './batches.service';
import { AuthModule } from '../auth/auth.module';

/**
 * Merkle batches: sealing (run by the anchoring leader), the batches API, and inclusion proofs for the
 * events API and bundles (`BatchProofs.anchorsFor(eventIds)`, `BatchEventAnchorResolver`).
 */
@Module({
  imports: [AppConfigModule, ChainModule, AuthModule],
  controllers: [BatchesController],
  providers: [BatchesRepository, BatchSealer, BatchProofs, BatchesService, BatchEventAnchorResolver],
  exports: [BatchesRepository, BatchSealer, BatchProofs, BatchEventAnchorResolver],
})
export class BatchesModule {}
