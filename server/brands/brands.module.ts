import { Module } from '@nestjs/common';
import { AuditTrailModule } from '../audit-trail/audit-trail.module';
import { DatabaseModule } from '../database/database.module';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '../auth/auth.module';
import { ApiKeysService } from './api-keys.service';
import { BrandEntity } from './brand.entity';
import { BrandsController } from './brands.controller';
import { BrandsRepository } from './brands.repository';
import { BrandsService } from './brands.service';
import { OperatorKeysController } from './operator-keys.controller';

/** Brands and the API keys that act for them, and the operator's arbitrator and auditor keys. */
@Module({
  imports: [TypeOrmModule.forFeature([BrandEntity]), AuthModule, DatabaseModule, AuditTrailModule],
  controllers: [BrandsController, OperatorKeysController],
  providers: [BrandsRepository, BrandsService, ApiKeysService],
  exports: [BrandsRepository],
})
export class BrandsModule {}
