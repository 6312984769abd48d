import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { type EntityManager, IsNull, type Repository } from 'typeorm';
import { ApiKeyEntity } from './api-key.entity';

export interface ApiKeyLookup {
  keyId: string;
  /** Null for operator-issued keys. */
  brandId: string | null;
  brandSlug: string | null;
  roles: string[];
  expiresAt: Date | null;
  revokedAt: Date | null;
}

/** Whose keys: a brand's (its id) or the operator's (null). */
export type KeyOwner = string | null;

function ownerIs(owner: KeyOwner) {
  return owner === null ? IsNull() : owner;
}

@Injectable()
export class ApiKeysRepository {
  constructor(@InjectRepository(ApiKeyEntity) private readonly keys: Repository<ApiKeyEntity>) {}

  /** Inserts in `tx` when given (with its audit entry). */
  async insert(key: ApiKeyEntity, tx?: EntityManager): Promise<void> {
    await (tx?.getRepository(ApiKeyEntity) ?? this.keys).insert(key);
  }

  /** The one query that authenticates a key (cached by ApiKeyCacheService). */
  async findByHash(keyHash: string): Promise<ApiKeyLookup | null> {
    const row = await this.keys
      .createQueryBuilder('k')
      .leftJoin('brands', 'b', 'b.id = k.brand_id')
      .select([
        'k.id AS key_id',
        'k.brand_id AS brand_id',
        'b.slug AS brand_slug',
        'k.roles AS roles',
        'k.expires_at AS expires_at',
        'k.revoked_at AS revoked_at',
      ])
      .where('k.key_hash = :keyHash', { keyHash })
      .getRawOne<{
        key_id: string;
        brand_id: string | null;
        brand_slug: string | null;
        roles: string[];
        expires_at: Date | null;
        revoked_at: Date | null;
      }>();
    if (!row) return null;
    return {
      keyId: row.key_id,
      brandId: row.brand_id,
      brandSlug: row.brand_slug,
      roles: row.roles,
      expiresAt: row.expires_at === null ? null : new Date(row.expires_at),
      revokedAt: row.revoked_at,
    };
  }

  findById(keyId: string): Promise<ApiKeyEntity | null> {
    return this.keys.findOne({ where: { id: keyId } });
  }

  findForOwner(owner: KeyOwner, keyId: string): Promise<ApiKeyEntity | null> {
    return this.keys.findOne({ where: { id: keyId, brandId: ownerIs(owner) } });
  }

  /** The owner's keys, revoked and expired ones included, newest first. */
  listForOwner(owner: KeyOwner): Promise<ApiKeyEntity[]> {
    return this.keys.find({ where: { brandId: ownerIs(owner) }, order: { createdAt: 'DESC', id: 'ASC' } });
  }

  /** Marks the key revoked unless it already is (in `tx`): `revoked` now, `already` revoked, or `missing`. */
  async revoke(owner: KeyOwner, keyId: string, at: Date, tx: EntityManager): Promise<'revoked' | 'already' | 'missing'> {
    const keys = tx.getRepository(ApiKeyEntity);
    const result = await keys.update({ id: keyId, brandId: ownerIs(owner), revokedAt: IsNull() }, { revokedAt: at });
    if ((result.affected ?? 0) > 0) return 'revoked';
    return (await keys.exists({ where: { id: keyId, brandId: ownerIs(owner) } })) ? 'already' : 'missing';
  }

  /**
   * In the caller's transaction `tx`: the live key `keyId` expires at `oldExpiresAt` at the latest,
   * and its replacement is stored. False (and nothing written) when the owner has no such live key.
   */
  async rotate(owner: KeyOwner, keyId: string, replacement: ApiKeyEntity, oldExpiresAt: Date, tx: EntityManager): Promise<boolean> {
    const updated: unknown[] = await tx.query(
      `UPDATE api_keys SET expires_at = LEAST(COALESCE(expires_at, $3::timestamptz), $3::timestamptz)
        WHERE id = $1 AND brand_id IS NOT DISTINCT FROM $2::uuid AND revoked_at IS NULL
          AND (expires_at IS NULL OR expires_at > $4::timestamptz)
        RETURNING id`,
      [keyId, owner, oldExpiresAt, replacement.createdAt],
    );
    if (rowCount(updated) === 0) return false;
    await tx.getRepository(ApiKeyEntity).insert(replacement);
    return true;
  }

  /** Records a use of the key; never moves last_used_at back. */
  async touch(keyId: string, at: Date): Promise<void> {
    await this.keys.query(`UPDATE api_keys SET last_used_at = $2 WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < $2)`, [
      keyId,
      at,
    ]);
  }
}

/** Rows of an UPDATE … RETURNING: TypeORM's postgres driver answers [rows, count]. */
function rowCount(result: unknown[]): number {
  return Array.isArray(result[0]) ? (result[0] as unknown[]).length : result.length;
}
