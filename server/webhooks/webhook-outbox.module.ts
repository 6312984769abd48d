import { Module } from '@nestjs/common';
import { AppConfigModule } from '../config/app-config.module';
import { WebhookOutbox } from './webhook-outbox';
import { WebhookSubscriptions } from './webhook-subscriptions';
import { WebhooksRepository } from './webhooks.repository';

/**
 * The webhook outbox and the brands' subscriptions, for the features whose writes report to
 * webhooks (orders, anchoring) without depending on the webhooks' HTTP side.
 */
@Module({
  imports: [AppConfigModule],
  providers: [WebhooksRepository, WebhookSubscriptions, WebhookOutbox],
  exports: [WebhooksRepository, WebhookSubscriptions, WebhookOutbox],
})
export class WebhookOutboxModule {}
