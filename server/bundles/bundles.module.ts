import { Module } from '@nestjs/common';
import { AuditTrailModule } from '../audit-trail/audit-trail.module';
import { ChainModule } from '../anchoring/chain.module';
import { BatchesModule } from '../batches/batches.module';
import { AppConfigModule } from '../config/app-config.module';
import { OrdersModule } from '../orders/orders.module';
import { BundlesController } from './bundles.controller';
import { BundlesRepository } from './bundles.repository';
import { BundlesService } from './bundles.service';
import { AuthModule } from '../auth/auth.module';

/**
 * Proof bundles and evidence reports of orders, for arbitrators (GET /v1/orders/{id}/bundle,
 * …/evidence.pdf) and for the public verifier page (BundlesService.build without disclosure).
 */
@Module({
  imports: [AppConfigModule, AuthModule, OrdersModule, BatchesModule, ChainModule, AuditTrailModule],
  controllers: [BundlesController],
  providers: [BundlesRepository, BundlesService],
  exports: [BundlesService],
})
export class BundlesModule {}
