import { Module } from '@nestjs/common';
import { ChainModule } from '../anchoring/chain.module';
import { MetricsModule } from '../metrics/metrics.module';
import { AppConfigModule } from '../config/app-config.module';
import { EventAnchorsService } from './event-anchors.service';
import { BatchProofsService } from './batch-proofs.service';
import { BatchSealerService } from './batch-sealer.service';
import { BatchesController } from './batches.controller';
import { BatchesRepository } from './batches.repository';
import { BatchesService } from './batches.service';
import { AuthModule } from '../auth/auth.module';

/**
 * Merkle batches: sealing (run by the anchoring leader), the batches API, and inclusion proofs for the
 * events API and bundles (`BatchProofsService.anchorsFor(eventIds)`, `EventAnchorsService`).
 */
@Module({
  imports: [MetricsModule, AppConfigModule, ChainModule, AuthModule],
  controllers: [BatchesController],
  providers: [BatchesRepository, BatchSealerService, BatchProofsService, BatchesService, EventAnchorsService],
  exports: [BatchesRepository, BatchSealerService, BatchProofsService, EventAnchorsService],
})
export class BatchesModule {}
