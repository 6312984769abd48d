import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, type Repository } from 'typeorm';
import { ApiKeyEntity } from './api-key.entity';

export interface ApiKeyLookup {
  keyId: string;
  brandId: string;
  brandSlug: string;
  roles: string[];
  revokedAt: Date | null;
}

@Injectable()
export class ApiKeysRepository {
  constructor(@InjectRepository(ApiKeyEntity) private readonly keys: Repository<ApiKeyEntity>) {}

  async insert(key: ApiKeyEntity): Promise<void> {
    await this.keys.insert(key);
  }

  async findByHash(keyHash: string): Promise<ApiKeyLookup | null> {
    const row = await this.keys
      .createQueryBuilder('k')
      .innerJoin('brands', 'b', 'b.id = k.brand_id')
      .select(['k.id AS key_id', 'k.brand_id AS brand_id', 'b.slug AS brand_slug', 'k.roles AS roles', 'k.revoked_at AS revoked_at'])
      .where('k.key_hash = :keyHash', { keyHash })
      .getRawOne<{ key_id: string; brand_id: string; brand_slug: string; roles: string[]; revoked_at: Date | null }>();
    if (!row) return null;
    return { keyId: row.key_id, brandId: row.brand_id, brandSlug: row.brand_slug, roles: row.roles, revokedAt: row.revoked_at };
  }

  async findForBrand(brandId: string, keyId: string): Promise<ApiKeyEntity | null> {
    return this.keys.findOne({ where: { id: keyId, brandId } });
  }

  /** Marks the key revoked unless it already is; true when the key exists. */
  async revoke(brandId: string, keyId: string, at: Date): Promise<boolean> {
    await this.keys.update({ id: keyId, brandId, revokedAt: IsNull() }, { revokedAt: at });
    return await this.keys.exists({ where: { id: keyId, brandId } });
  }
}
