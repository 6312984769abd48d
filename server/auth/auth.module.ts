import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfigModule } from '../config/app-config.module';
import { AdminGuard } from './admin.guard';
import { ApiKeyCacheService } from './api-key-cache.service';
import { ApiKeyEntity } from './api-key.entity';
import { ApiKeysRepository } from './api-keys.repository';
import { BrandAuthGuard } from './brand-auth.guard';
import { OperatorOrBrandGuard } from './operator-or-brand.guard';

/**
 * Authentication for the feature modules that import it: `@UseGuards(BrandAuthGuard)` +
 * `@CurrentBrand()` for brand routes, `@UseGuards(AdminGuard)` for operator routes. Nest builds a
 * route's guards in the controller's own module, so a module using AdminGuard or
 * OperatorOrBrandGuard (which read the admin token) also imports AppConfigModule.
 */
@Module({
  imports: [TypeOrmModule.forFeature([ApiKeyEntity]), AppConfigModule],
  providers: [ApiKeysRepository, ApiKeyCacheService, BrandAuthGuard, AdminGuard, OperatorOrBrandGuard],
  exports: [ApiKeysRepository, ApiKeyCacheService, BrandAuthGuard, AdminGuard, OperatorOrBrandGuard],
})
export class AuthModule {}
