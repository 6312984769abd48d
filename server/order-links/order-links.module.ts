import { Module } from '@nestjs/common';
import { AuditTrailModule } from '../audit-trail/audit-trail.module';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '../auth/auth.module';
import { AppConfigModule } from '../config/app-config.module';
import { DatabaseModule } from '../database/database.module';
import { OrdersModule } from '../orders/orders.module';
import { ServiceKeysModule } from '../service-keys/service-keys.module';
import { OrderAccessTokenEntity } from './order-access-token.entity';
import { OrderAccessTokensRepository } from './order-access-tokens.repository';
import { OrderLinksService } from './order-links.service';
import { OrderQrController } from './order-qr.controller';

/**
 * Consumer links of orders and their QR codes, issued by brands (`/v1/orders/{id}/qr…`). The
 * module owns the access tokens: it issues and revokes them, and admits a consumer's token for
 * the public API (`OrderLinksService.authorize`).
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([OrderAccessTokenEntity]),
    AppConfigModule,
    AuthModule,
    DatabaseModule,
    OrdersModule,
    ServiceKeysModule,
    AuditTrailModule,
  ],
  controllers: [OrderQrController],
  providers: [OrderAccessTokensRepository, OrderLinksService],
  exports: [OrderLinksService],
})
export class OrderLinksModule {}
