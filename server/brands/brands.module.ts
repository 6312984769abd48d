import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfigModule } from '../config/app-config.module';
import { BrandEntity } from './brand.entity';
import { BrandsController } from './brands.controller';
import { BrandsRepository } from './brands.repository';
import { BrandsService } from './brands.service';
import { AuthModule } from '../auth/auth.module';

@Module({
  imports: [TypeOrmModule.forFeature([BrandEntity]), AppConfigModule, AuthModule],
  controllers: [BrandsController],
  providers: [BrandsRepository, BrandsService],
  exports: [BrandsRepository],
})
export class BrandsModule {}
