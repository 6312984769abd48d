import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfigModule } from '../config/app-config.module';
import { ServiceKeyEntity } from './service-key.entity';
import { ServiceKeysRepository } from './service-keys.repository';
import { ServiceKeysService } from './service-keys.service';

/** The service's own keys (the order link token key), wrapped by the data key. */
@Module({
  imports: [TypeOrmModule.forFeature([ServiceKeyEntity]), AppConfigModule],
  providers: [ServiceKeysRepository, ServiceKeysService],
  exports: [ServiceKeysService],
})
export class ServiceKeysModule {}
