import { AuditTrailModule } from '../audit-trail/audit-trail.module';
import { ServiceKeysModule } from '../service-keys/service-keys.module';
import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { AppConfigModule } from '../config/app-config.module';
import { DatabaseModule } from '../database/database.module';
import { HealthModule } from '../health/health.module';
import { MetricsModule } from '../metrics/metrics.module';
import { WebhookDeliveryService } from './webhook-delivery.service';
import { WebhookOutboxModule } from './webhook-outbox.module';
import { WebhookSecretCipher } from './webhook-secret-cipher';
import { WebhookStallWatcherService } from './webhook-stall-watcher.service';
import { WebhooksController } from './webhooks.controller';
import { WebhooksService } from './webhooks.service';

/** Signed webhooks (Standard Webhooks): the brands' endpoints, delivery of the outbox, and stall reports. */
@Module({
  imports: [
    AppConfigModule,
    AuditTrailModule,
    AuthModule,
    DatabaseModule,
    HealthModule,
    MetricsModule,
    ServiceKeysModule,
    WebhookOutboxModule,
  ],
  controllers: [WebhooksController],
  providers: [WebhooksService, WebhookSecretCipher, WebhookDeliveryService, WebhookStallWatcherService],
})
export class WebhooksModule {}
