import { Module } from '@nestjs/common';
import { AnchoringModule } from '../anchoring/anchoring.module';
import { ChainModule } from '../anchoring/chain.module';
import { BatchesModule } from '../batches/batches.module';
import { AppConfigModule } from '../config/app-config.module';
import { MetricsModule } from '../metrics/metrics.module';
import { HealthController } from './health.controller';
import { HealthService } from './health.service';

/** /healthz, /readyz and /metrics: what the operator's probes and monitoring read. */
@Module({
  imports: [AnchoringModule, AppConfigModule, BatchesModule, ChainModule, MetricsModule],
  controllers: [HealthController],
  providers: [HealthService],
  exports: [HealthService],
})
export class HealthModule {}
