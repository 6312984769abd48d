import { Module } from '@nestjs/common';
import { AnchoringModule } from '../anchoring/anchoring.module';
import { ChainModule } from '../anchoring/chain.module';
import { BatchesModule } from '../batches/batches.module';
import { HealthController } from './health.controller';
import { HealthService } from './health.service';

/** /healthz and /readyz; HealthService.gauges() holds the figures a metrics endpoint exports. */
@Module({
  imports: [AnchoringModule, BatchesModule, ChainModule],
  controllers: [HealthController],
  providers: [HealthService],
  exports: [HealthService],
})
export class HealthModule {}
