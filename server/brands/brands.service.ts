import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { generateApiKey } from '../auth/api-key-secret';
import type { ApiKeyEntity } from '../auth/api-key.entity';
import { ApiKeyCacheService } from '../auth/api-key-cache.service';
import { ApiKeysRepository } from '../auth/api-keys.repository';
import { DEFAULT_API_KEY_ROLES } from '../auth/brand-principal';
import { DomainError, ErrorCode } from '../errors/domain-error';
import type { BrandEntity } from './brand.entity';
import { type ApiKeyCreatedDto, type BrandDto, type CreateApiKeyDto, type CreateBrandDto, mapApiKeyCreated, mapBrand } from './brands.dto';
import { BrandsRepository } from './brands.repository';

@Injectable()
export class BrandsService {
  constructor(
    private readonly brands: BrandsRepository,
    private readonly apiKeys: ApiKeysRepository,
    private readonly knownKeys: ApiKeyCacheService,
  ) {}

  async create(dto: CreateBrandDto): Promise<BrandDto> {
    const brand: BrandEntity = { id: randomUUID(), slug: dto.slug, name: dto.name, createdAt: new Date() };
    await this.brands.insert(brand);
    return mapBrand(brand);
  }

  async createApiKey(brandId: string, dto: CreateApiKeyDto): Promise<ApiKeyCreatedDto> {
    await this.requireBrand(brandId);
    const { key, keyHash, keyPrefix } = generateApiKey();
    const entity: ApiKeyEntity = {
      id: randomUUID(),
      brandId,
      keyHash,
      keyPrefix,
      roles: dto.roles ?? [...DEFAULT_API_KEY_ROLES],
      createdAt: new Date(),
      revokedAt: null,
    };
    await this.apiKeys.insert(entity);
    return mapApiKeyCreated(entity, key);
  }

  /** Revoking twice is not an error: the key stays revoked from the first time. */
  async revokeApiKey(brandId: string, keyId: string): Promise<void> {
    await this.requireBrand(brandId);
    if (!isUUID(keyId) || !(await this.apiKeys.revoke(brandId, keyId, new Date()))) {
      throw new DomainError(ErrorCode.API_KEY_NOT_FOUND, `Brand ${brandId} has no API key ${keyId}`);
    }
    this.knownKeys.forgetAll();
  }

  private async requireBrand(brandId: string): Promise<BrandEntity> {
    const brand = isUUID(brandId) ? await this.brands.findById(brandId) : null;
    if (brand === null) throw new DomainError(ErrorCode.BRAND_NOT_FOUND, `No brand ${brandId}`);
    return brand;
  }
}
