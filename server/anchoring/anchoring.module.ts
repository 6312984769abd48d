import { Module } from '@nestjs/common';
import { BatchesModule } from '../batches/batches.module';
import { MetricsModule } from '../metrics/metrics.module';
import { AppConfigModule } from '../config/app-config.module';
import { AnchorService, AnchorTimings } from './anchor.service';
import { AnchoringFundsService } from './anchoring-funds.service';
import { AnchoringLeaderLock } from './anchoring-leader-lock';
import { AnchoringWorkerService } from './anchoring-worker.service';
import { ChainModule } from './chain.module';
import { ChainReconciliationService } from './chain-reconciliation.service';
import { DatabaseModule } from '../database/database.module';
import { WebhookOutboxModule } from '../webhooks/webhook-outbox.module';

/** Sealing and anchoring, run by the one instance holding the anchoring lock. */
@Module({
  imports: [MetricsModule, AppConfigModule, ChainModule, BatchesModule, DatabaseModule, WebhookOutboxModule],
  providers: [
    { provide: AnchorTimings, useValue: new AnchorTimings() },
    AnchoringLeaderLock,
    ChainReconciliationService,
    AnchorService,
    AnchoringFundsService,
    AnchoringWorkerService,
  ],
  exports: [AnchorService, AnchoringWorkerService, AnchoringLeaderLock, AnchoringFundsService],
})
export class AnchoringModule {}
