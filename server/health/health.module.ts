import { Module } from '@nestjs/common';
import { AnchoringModule } from '../anchoring/anchoring.module';
import { ChainModule } from '../anchoring/chain.module';
import { BatchesModule } from '../batches/batches.module';
import { AppConfigModule } from '../config/app-config.module';
import { HealthController } from './health.controller';
import { HealthService } from './health.service';

/** /healthz and /readyz; HealthService.gauges() holds the figures a metrics endpoint exports. */
@Module({
  imports: [AnchoringModule, AppConfigModule, BatchesModule, ChainModule],
  controllers: [HealthController],
  providers: [HealthService],
  exports: [HealthService],
})
export class HealthModule {}
