import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import { isUniqueViolation } from '../database/postgres-errors';
import { DomainError, ErrorCode } from '../errors/domain-error';
import { BrandEntity } from './brand.entity';

@Injectable()
export class BrandsRepository {
  constructor(@InjectRepository(BrandEntity) private readonly brands: Repository<BrandEntity>) {}

  /** Inserts in `tx` when given (with its audit entry). */
  async insert(brand: BrandEntity, tx?: EntityManager): Promise<void> {
    try {
      await (tx?.getRepository(BrandEntity) ?? this.brands).insert(brand);
    } catch (e) {
      if (isUniqueViolation(e, 'uq_brands_slug')) {
        throw new DomainError(ErrorCode.BRAND_SLUG_TAKEN, `A brand with slug "${brand.slug}" already exists`, { field: 'slug' });
      }
      throw e;
    }
  }

  /** Every brand, oldest first. */
  list(): Promise<BrandEntity[]> {
    return this.brands.find({ order: { createdAt: 'ASC', id: 'ASC' } });
  }

  findById(id: string): Promise<BrandEntity | null> {
    return this.brands.findOne({ where: { id } });
  }
}
