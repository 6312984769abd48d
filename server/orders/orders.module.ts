import { AuditTrailModule } from '../audit-trail/audit-trail.module';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { BatchesModule } from '../batches/batches.module';
import { MetricsModule } from '../metrics/metrics.module';
import { AppConfigModule } from '../config/app-config.module';
import { DatabaseModule } from '../database/database.module';
import { IdempotencyModule } from '../idempotency/idempotency.module';
import { BulkController } from './bulk.controller';
import { EventEntity } from './event.entity';
import { EventsController } from './events.controller';
import { OrderWriterService } from './order-writer.service';
import { OrderEntity } from './order.entity';
import { OrdersController } from './orders.controller';
import { OrdersRepository } from './orders.repository';
import { OrdersService } from './orders.service';
import { SealedFieldCipher } from './sealed-field-cipher';
import { AuthModule } from '../auth/auth.module';
import { ServiceKeysModule } from '../service-keys/service-keys.module';
import { DataKeyController, OrderErasureController } from './order-keys.controller';
import { OrderKeysService } from './order-keys.service';
import { OrdersTableStatistics } from './orders-table-statistics';
import { WebhookOutboxModule } from '../webhooks/webhook-outbox.module';

/**
 * The order aggregate: orders, their hash-chained lifecycle events and the bulk endpoint, with
 * every write through the OrderWriterService's group commit. Batches provide each event's anchor state.
 */
@Module({
  imports: [
    MetricsModule,
    TypeOrmModule.forFeature([OrderEntity, EventEntity]),
    AppConfigModule,
    DatabaseModule,
    AuthModule,
    IdempotencyModule,
    BatchesModule,
    ServiceKeysModule,
    AuditTrailModule,
    WebhookOutboxModule,
  ],
  controllers: [OrdersController, EventsController, BulkController, OrderErasureController, DataKeyController],
  providers: [OrdersRepository, OrdersService, OrderWriterService, OrdersTableStatistics, SealedFieldCipher, OrderKeysService],
  exports: [OrdersService, SealedFieldCipher, OrderKeysService],
})
export class OrdersModule {}
