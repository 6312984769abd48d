import { Module } from '@nestjs/common';
import { AnchoringModule } from '../anchoring/anchoring.module';
import { ChainModule } from '../anchoring/chain.module';
import { BatchesModule } from '../batches/batches.module';
import { AppConfigModule } from '../config/app-config.module';
import { MetricsModule } from '../metrics/metrics.module';
import { HealthController } from './health.controller';
import { HealthService } from './health.service';
import { MetricsAccessGuard } from './metrics-access.guard';

/** /healthz, /readyz and /metrics: what the operator's probes and monitoring read. */
@Module({
  imports: [AnchoringModule, AppConfigModule, BatchesModule, ChainModule, MetricsModule],
  controllers: [HealthController],
  providers: [HealthService, MetricsAccessGuard],
  exports: [HealthService],
})
export class HealthModule {}
