import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ThrottlerModule } from '@nestjs/throttler';
import { ChainModule } from '../anchoring/chain.module';
import { BrandsModule } from '../brands/brands.module';
import { BundlesModule } from '../bundles/bundles.module';
import { AppConfigModule } from '../config/app-config.module';
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

/** Consumer links and QR codes, the public endpoints they open, and the verifier page at /v/. */
@Module({
  imports: [
    AppConfigModule,
    AuthModule,
    TypeOrmModule.forFeature([OrderAccessTokenEntity]),
    ThrottlerModule.forRoot({ throttlers: [{ name: PUBLIC_THROTTLER, ttl: 60_000, limit: PUBLIC_LIMIT_PER_MINUTE }] }),
    OrdersModule,
    BrandsModule,
    BundlesModule,
    ChainModule,
    DatabaseModule,
  ],
  controllers: [OrderQrController, PublicController, VerifierPageController],
  providers: [OrderAccessTokensRepository, OrderLinksService, PublicOrdersService, VerifierPageFiles],
})
export class PublicModule {}
