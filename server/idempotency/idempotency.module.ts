import { Module } from '@nestjs/common';
import { IdempotencyRepository } from './idempotency.repository';

/** Stored responses of requests sent with an Idempotency-Key, written in the transaction of their work. */
@Module({
  providers: [IdempotencyRepository],
  exports: [IdempotencyRepository],
})
export class IdempotencyModule {}
