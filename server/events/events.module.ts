import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IdempotencyModule } from '../idempotency/idempotency.module';
import { EventEntity } from './event.entity';
import { EventsController } from './events.controller';
import { EventsRepository } from './events.repository';
import { EventsService } from './events.service';
import { SealedFieldCipher } from './sealed-field-cipher';

@Module({
  imports: [TypeOrmModule.forFeature([EventEntity]), IdempotencyModule],
  controllers: [EventsController],
  providers: [EventsRepository, EventsService, SealedFieldCipher],
  exports: [EventsRepository, EventsService, SealedFieldCipher],
})
export class EventsModule {}
