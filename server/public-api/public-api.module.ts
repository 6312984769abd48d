import { Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import { ChainModule } from '../anchoring/chain.module';
import { BrandsModule } from '../brands/brands.module';
import { BundlesModule } from '../bundles/bundles.module';
import { AppConfigModule } from '../config/app-config.module';
import { OrderLinksModule } from '../order-links/order-links.module';
import { OrdersModule } from '../orders/orders.module';
import { PublicController } from './public.controller';
import { PublicOrdersService } from './public-orders.service';
import { PUBLIC_LIMIT_PER_MINUTE, PUBLIC_THROTTLER } from './public-rate-limit';

/**
 * The anonymous API under /public that a consumer's link opens: the order's public bundle, the
 * chain to check it against, and the receipt confirmation. Rate limited per client address.
 */
@Module({
  imports: [
    ThrottlerModule.forRoot({ throttlers: [{ name: PUBLIC_THROTTLER, ttl: 60_000, limit: PUBLIC_LIMIT_PER_MINUTE }] }),
    AppConfigModule,
    OrderLinksModule,
    OrdersModule,
    BrandsModule,
    BundlesModule,
    ChainModule,
  ],
  controllers: [PublicController],
  providers: [PublicOrdersService],
})
export class PublicApiModule {}
