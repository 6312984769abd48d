import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { HealthModule } from '../health/health.module';
import { OrderStatsRepository } from './order-stats.repository';
import { StatsController } from './stats.controller';
import { StatsService } from './stats.service';

/** GET /v1/stats: the brand console's figures, aggregated in the database over a range of days. */
@Module({
  imports: [AuthModule, HealthModule],
  controllers: [StatsController],
  providers: [OrderStatsRepository, StatsService],
})
export class StatsModule {}
