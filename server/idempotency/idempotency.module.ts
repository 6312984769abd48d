import { Module } from '@nestjs/common';
import { IdempotencyRepository } from './idempotency.repository';
import { TransactionService } from './transaction.service';

@Module({
  providers: [IdempotencyRepository, TransactionService],
  exports: [TransactionService, IdempotencyRepository],
})
export class IdempotencyModule {}
