import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { BrandEntity } from './brand.entity';
import { type BrandDto, type BrandListDto, type CreateBrandDto, mapBrand } from './brands.dto';
import { BrandsRepository } from './brands.repository';

@Injectable()
export class BrandsService {
  constructor(private readonly brands: BrandsRepository) {}

  async create(dto: CreateBrandDto): Promise<BrandDto> {
    const brand: BrandEntity = { id: randomUUID(), slug: dto.slug, name: dto.name, createdAt: new Date() };
    await this.brands.insert(brand);
    return mapBrand(brand);
  }

  async list(): Promise<BrandListDto> {
    return { items: (await this.brands.list()).map(mapBrand) };
  }
}
