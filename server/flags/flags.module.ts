import { Module } from '@nestjs/common';
import { AppConfigModule } from '../config/app-config.module';
import { AuditTrailModule } from '../audit-trail/audit-trail.module';
import { AuthModule } from '../auth/auth.module';
import { DatabaseModule } from '../database/database.module';
import { OrdersModule } from '../orders/orders.module';
import { ServiceKeysModule } from '../service-keys/service-keys.module';
import { WebhookOutboxModule } from '../webhooks/webhook-outbox.module';
import { ContactBlindIndex } from './contact-blind-index';
import { FlagEvaluatorService } from './flag-evaluator.service';
import { FlagThresholdsService } from './flag-thresholds.service';
import { FlagsController } from './flags.controller';
import { FlagsRepository } from './flags.repository';
import { FlagsService } from './flags.service';

/**
 * Anomaly flags: patterns in an order's anchored history worth a risk team's look, raised by a
 * background evaluator (with `order.flagged` webhooks), listed per order and as a feed, with
 * thresholds per brand.
 */
@Module({
  imports: [AppConfigModule, AuditTrailModule, AuthModule, DatabaseModule, OrdersModule, ServiceKeysModule, WebhookOutboxModule],
  controllers: [FlagsController],
  providers: [FlagsService, FlagsRepository, FlagThresholdsService, FlagEvaluatorService, ContactBlindIndex],
})
export class FlagsModule {}
