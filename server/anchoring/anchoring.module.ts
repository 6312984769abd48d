import { Module } from '@nestjs/common';
import { BatchesModule } from '../batches/batches.module';
import { AppConfigModule } from '../config/app-config.module';
import { AnchorService, AnchorTimings } from './anchor.service';
import { AnchoringLeaderLock } from './anchoring-leader-lock';
import { AnchoringWorker } from './anchoring-worker';
import { ChainModule } from './chain.module';
import { ChainReconciler } from './chain-reconciler';

/** Sealing and anchoring, run by the one instance holding the anchoring lock. */
@Module({
  imports: [AppConfigModule, ChainModule, BatchesModule],
  providers: [
    { provide: AnchorTimings, useValue: new AnchorTimings() },
    AnchoringLeaderLock,
    ChainReconciler,
    AnchorService,
    AnchoringWorker,
  ],
  exports: [AnchorService, AnchoringWorker, AnchoringLeaderLock],
})
export class AnchoringModule {}
