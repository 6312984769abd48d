import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfigModule } from '../config/app-config.module';
import { AccessDeclarationCheck } from './access-declaration.check';
import { AccessGuard } from './access.guard';
import { ApiKeyCacheService } from './api-key-cache.service';
import { ApiKeyEntity } from './api-key.entity';
import { ApiKeysRepository } from './api-keys.repository';
import { GrantEntity } from './grant.entity';
import { GrantsRepository } from './grants.repository';

/**
 * Who may call what. AppModule installs AccessGuard for every route; a route says who may call it
 * with one `@Access(…)` (server/auth/access.decorator.ts) and reads its caller with
 * `@CurrentBrand()`, `@CurrentKey()` or `@CurrentCaller()`. API keys and the grants that open a
 * brand's orders to arbitrator and auditor keys are stored here.
 */
@Module({
  imports: [TypeOrmModule.forFeature([ApiKeyEntity, GrantEntity]), AppConfigModule, DiscoveryModule],
  providers: [ApiKeysRepository, ApiKeyCacheService, GrantsRepository, AccessGuard, AccessDeclarationCheck],
  exports: [ApiKeysRepository, ApiKeyCacheService, GrantsRepository, AccessGuard],
})
export class AuthModule {}
