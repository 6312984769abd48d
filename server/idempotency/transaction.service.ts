import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { DomainError, ErrorCode } from '../errors/domain-error';
import type { IdempotentRequest } from './idempotency-key.decorator';
import { IdempotencyRepository } from './idempotency.repository';

/**
 * Runs a unit of work in one transaction; with an Idempotency-Key, a retry of the same request
 * gets the first response back and the same key with another request is refused. Only
 * successful responses are kept: a failed request can be retried with its key.
 */
@Injectable()
export class TransactionService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly idempotency: IdempotencyRepository,
  ) {}

  run<T>(work: (tx: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  runIdempotent<T>(
    brandId: string,
    request: IdempotentRequest | null,
    statusCode: number,
    work: (tx: EntityManager) => Promise<T>,
  ): Promise<T> {
    if (request === null) return this.run(work);
    return this.dataSource.transaction(async (tx) => {
      if (!(await this.idempotency.claim(tx, brandId, request.key, request.fingerprint, new Date()))) {
        const stored = await this.idempotency.find(tx, brandId, request.key);
        if (stored === null) throw new Error('idempotency key neither claimable nor stored');
        if (stored.requestHash !== request.fingerprint) {
          throw new DomainError(
            ErrorCode.IDEMPOTENCY_KEY_REUSED,
            'This Idempotency-Key was already used with a different request; use a new key for a new request',
            { field: 'Idempotency-Key' },
          );
        }
        return stored.response as T;
      }
      const response = await work(tx);
      await this.idempotency.complete(tx, brandId, request.key, statusCode, response);
      return response;
    });
  }
}
