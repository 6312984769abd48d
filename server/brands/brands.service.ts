import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { AuditOrigin } from '../audit-trail/audit-origin';
import { AuditTrailService } from '../audit-trail/audit-trail.service';
import { UnitOfWork } from '../database/unit-of-work';
import type { BrandEntity } from './brand.entity';
import { type BrandDto, type BrandListDto, type CreateBrandDto, mapBrand } from './brands.dto';
import { BrandsRepository } from './brands.repository';

@Injectable()
export class BrandsService {
  constructor(
    private readonly brands: BrandsRepository,
    private readonly transactions: UnitOfWork,
    private readonly trail: AuditTrailService,
  ) {}

  async create(origin: AuditOrigin, dto: CreateBrandDto): Promise<BrandDto> {
    const brand: BrandEntity = { id: randomUUID(), slug: dto.slug, name: dto.name, createdAt: new Date() };
    await this.transactions.run(async (tx) => {
      await this.brands.insert(brand, tx);
      await this.trail.record(tx, { ...origin, action: 'brand.created', target: `brand:${brand.id}`, details: { slug: brand.slug } });
    });
    return mapBrand(brand);
  }

  async list(): Promise<BrandListDto> {
    return { items: (await this.brands.list()).map(mapBrand) };
  }
}
