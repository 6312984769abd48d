import { Module } from '@nestjs/common';
import { MetricsService } from './metrics.service';

/** The Prometheus registry features count into; /metrics itself is served by HealthModule. */
@Module({
  providers: [MetricsService],
  exports: [MetricsService],
})
export class MetricsModule {}
