import { Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import { ChainModule } from '../anchoring/chain.module';
import { BrandsModule } from '../brands/brands.module';
import { BatchesModule } from '../batches/batches.module';
import { BundlesModule } from '../bundles/bundles.module';
import { AppConfigModule } from '../config/app-config.module';
import { OrderLinksModule } from '../order-links/order-links.module';
import { OrdersModule } from '../orders/orders.module';
import { PublicController } from './public.controller';
import { PublicOrdersService } from './public-orders.service';
import { PUBLIC_LIMIT_PER_MINUTE, PUBLIC_THROTTLER } from './public-rate-limit';
import { PublicBatchesController } from './public-batches.controller';
import { PublicBatchesService } from './public-batches.service';
import { PublicRpcController } from './public-rpc.controller';
import { PublicRpcService } from './public-rpc.service';
import { TrustAnchorsService } from './trust-anchors.service';
import { TrustController } from './trust.controller';

/**
 * The anonymous API under /public: what a consumer's link opens (the order's public bundle, the
 * chain to check it against, the receipt confirmation), and what verifiers and auditors need
 * without a key (the operator's trust anchors, a read-only chain proxy, every batch's leaves).
 * Rate limited per client address.
 */
@Module({
  imports: [
    ThrottlerModule.forRoot({ throttlers: [{ name: PUBLIC_THROTTLER, ttl: 60_000, limit: PUBLIC_LIMIT_PER_MINUTE }] }),
    AppConfigModule,
    OrderLinksModule,
    OrdersModule,
    BrandsModule,
    BundlesModule,
    BatchesModule,
    ChainModule,
  ],
  controllers: [PublicController, TrustController, PublicRpcController, PublicBatchesController],
  providers: [PublicOrdersService, TrustAnchorsService, PublicRpcService, PublicBatchesService],
  exports: [TrustAnchorsService],
})
export class PublicApiModule {}
