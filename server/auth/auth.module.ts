import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AdminGuard } from './admin.guard';
import { ApiKeyCache } from './api-key-cache';
import { ApiKeyEntity } from './api-key.entity';
import { ApiKeysRepository } from './api-keys.repository';
import { BrandAuthGuard } from './brand-auth.guard';
import { OperatorOrBrandGuard } from './operator-or-brand.guard';

/**
 * Authentication for the feature modules that import it: `@UseGuards(BrandAuthGuard)` +
 * `@CurrentBrand()` for brand routes, `@UseGuards(AdminGuard)` for operator routes.
 */
@Module({
  imports: [TypeOrmModule.forFeature([ApiKeyEntity])],
  providers: [ApiKeysRepository, ApiKeyCache, BrandAuthGuard, AdminGuard, OperatorOrBrandGuard],
  exports: [ApiKeysRepository, ApiKeyCache, BrandAuthGuard, AdminGuard, OperatorOrBrandGuard],
})
export class AuthModule {}
