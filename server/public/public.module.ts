import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ThrottlerModule } from '@nestjs/throttler';
import { ChainModule } from '../anchoring/chain.module';
import { BrandsModule } from '../brands/brands.module';
import { BundlesModule } from '../bundles/bundles.module';
import { DatabaseModule } from '../database/database.module';
import { OrdersModule } from '../orders/orders.module';
import { OrderAccessTokenEntity } from './order-access-token.entity';
import { OrderAccessTokensRepository } from './order-access-tokens.repository';
import { OrderLinksService } from './order-links.service';
import { OrderQrController } from './order-qr.controller';
import { PublicController } from './public.controller';
import { PublicOrdersService } from './public-orders.service';
import { PUBLIC_LIMIT_PER_MINUTE, PUBLIC_THROTTLER } from './public-rate-limit';
import { VerifierPageController } from './verifier-page.controller';
import { VerifierPageFiles } from './verifier-page-files';
import { AuthModule } from '../auth/auth.module';
import { BatchesModule } from '../batches/batches.module';
import { PublicBatchesController } from './public-batches.controller';
import { PublicBatchesService } from './public-batches.service';
import { PublicRpcController } from './public-rpc.controller';
import { PublicRpcService } from './public-rpc.service';
import { TrustAnchorsService } from './trust-anchors.service';
import { TrustController } from './trust.controller';

/**
 * Consumer links and QR codes, the public endpoints they open, the verifier page at /v/, and what
 * verifiers and auditors need without a key: trust anchors, a read-only chain proxy, batch leaves.
 */
@Module({
  imports: [
    AuthModule,
    TypeOrmModule.forFeature([OrderAccessTokenEntity]),
    ThrottlerModule.forRoot({ throttlers: [{ name: PUBLIC_THROTTLER, ttl: 60_000, limit: PUBLIC_LIMIT_PER_MINUTE }] }),
    OrdersModule,
    BrandsModule,
    BundlesModule,
    BatchesModule,
    ChainModule,
    DatabaseModule,
  ],
  controllers: [OrderQrController, PublicController, VerifierPageController, TrustController, PublicRpcController, PublicBatchesController],
  providers: [
    OrderAccessTokensRepository,
    OrderLinksService,
    PublicOrdersService,
    VerifierPageFiles,
    TrustAnchorsService,
    PublicRpcService,
    PublicBatchesService,
  ],
})
export class PublicModule {}
