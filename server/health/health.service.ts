import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { withTimeout } from '../../proof/timeout';
import { DomainError, ErrorCode } from '../errors/domain-error';

const READINESS_TIMEOUT_MS = 2000;

export interface HealthDto {
  status: 'ok';
}

export interface ReadinessDto {
  status: 'ok';
  database: 'up';
}

@Injectable()
export class HealthService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The process answers: nothing else is checked, so a slow database never restarts it. */
  liveness(): HealthDto {
    return { status: 'ok' };
  }

  /** The database answers within the timeout: the instance can take traffic. */
  async readiness(): Promise<ReadinessDto> {
    const noAnswer = (): DomainError => new DomainError(ErrorCode.DATABASE_UNAVAILABLE, 'The database does not answer');
    try {
      await withTimeout(this.dataSource.query('SELECT 1'), READINESS_TIMEOUT_MS, noAnswer);
    } catch {
      throw noAnswer();
    }
    return { status: 'ok', database: 'up' };
  }
}
