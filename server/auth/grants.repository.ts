import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { type EntityManager, IsNull, type Repository } from 'typeorm';
import { GrantEntity } from './grant.entity';

const LIST_LIMIT = 1000;

@Injectable()
export class GrantsRepository {
  constructor(@InjectRepository(GrantEntity) private readonly grants: Repository<GrantEntity>) {}

  /** Inserts in `tx` (with its audit entry). */
  async insert(grant: GrantEntity, tx: EntityManager): Promise<void> {
    await tx.getRepository(GrantEntity).insert(grant);
  }

  /** Whether a live grant lets the key read the order (granted itself, or its whole brand). */
  async covers(keyId: string, order: { id: string; brandId: string }): Promise<boolean> {
    const rows: unknown[] = await this.grants.query(
      `SELECT 1 FROM grants
        WHERE key_id = $1 AND revoked_at IS NULL AND brand_id = $3::uuid AND (order_id IS NULL OR order_id = $2)
        LIMIT 1`,
      [keyId, order.id, order.brandId],
    );
    return rows.length > 0;
  }

  /** The brand's grants, revoked ones included, newest first. */
  listOfBrand(brandId: string): Promise<GrantEntity[]> {
    return this.grants.find({ where: { brandId }, order: { createdAt: 'DESC', id: 'ASC' }, take: LIST_LIMIT });
  }

  /** The live grants a key holds, newest first. */
  listLiveOfKey(keyId: string): Promise<GrantEntity[]> {
    return this.grants.find({ where: { keyId, revokedAt: IsNull() }, order: { createdAt: 'DESC', id: 'ASC' }, take: LIST_LIMIT });
  }

  /** Marks the brand's grant revoked unless it already is (in `tx`): `revoked` now, `already` revoked, or `missing`. */
  async revoke(brandId: string, grantId: string, at: Date, tx: EntityManager): Promise<'revoked' | 'already' | 'missing'> {
    const grants = tx.getRepository(GrantEntity);
    const result = await grants.update({ id: grantId, brandId, revokedAt: IsNull() }, { revokedAt: at });
    if ((result.affected ?? 0) > 0) return 'revoked';
    return (await grants.exists({ where: { id: grantId, brandId } })) ? 'already' : 'missing';
  }
}
