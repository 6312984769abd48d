import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { isUUID } from 'class-validator';
import type { AuditOrigin } from '../audit-trail/audit-origin';
import { AuditTrailService } from '../audit-trail/audit-trail.service';
import { generateApiKey } from '../auth/api-key-secret';
import type { ApiKeyEntity } from '../auth/api-key.entity';
import { ApiKeyCacheService } from '../auth/api-key-cache.service';
import { ApiKeysRepository, type KeyOwner } from '../auth/api-keys.repository';
import type { Caller } from '../auth/brand-principal';
import { DEFAULT_API_KEY_ROLES, isBrandRole, isGranteeRole, parseRoles, type Role } from '../auth/roles';
import { UnitOfWork } from '../database/unit-of-work';
import { DomainError, ErrorCode, invalidField } from '../errors/domain-error';
import { parseRfc3339 } from '../orders/event-fields.validation';
import {
  type ApiKeyCreatedDto,
  type ApiKeyListDto,
  type CreateApiKeyDto,
  type CreateOperatorKeyDto,
  DEFAULT_ROTATION_OVERLAP_SECONDS,
  mapApiKey,
  mapApiKeyCreated,
  type RotateApiKeyDto,
} from './brands.dto';
import { BrandsRepository } from './brands.repository';

/**
 * API keys of brands (issued by the operator or by the brand's own brand:admin keys) and of the
 * operator (arbitrator and auditor keys, of no brand): issue, list, rotate, revoke.
 */
@Injectable()
export class ApiKeysService {
  constructor(
    private readonly brands: BrandsRepository,
    private readonly keys: ApiKeysRepository,
    private readonly knownKeys: ApiKeyCacheService,
    private readonly transactions: UnitOfWork,
    private readonly trail: AuditTrailService,
  ) {}

  /** POST /v1/brands/{id}/keys. */
  async createForBrand(caller: Caller, origin: AuditOrigin, brandId: string, dto: CreateApiKeyDto): Promise<ApiKeyCreatedDto> {
    await this.requireBrand(caller, brandId);
    const roles = dto.roles === undefined ? [...DEFAULT_API_KEY_ROLES] : parseRoles(dto.roles);
    const granteeRoles = roles.filter(isGranteeRole);
    if (granteeRoles.length > 0) {
      if (caller.kind === 'key') {
        throw new DomainError(ErrorCode.FORBIDDEN, `Only the operator issues ${granteeRoles.join(' and ')} keys`, {
          requiredRoles: [],
        });
      }
      throw invalidField('roles', `${granteeRoles.join(' and ')} keys belong to no brand: issue them with POST /v1/keys`);
    }
    return this.issue(origin, brandId, roles, dto);
  }

  /** POST /v1/keys: an arbitrator or auditor key, of no brand. */
  createForOperator(origin: AuditOrigin, dto: CreateOperatorKeyDto): Promise<ApiKeyCreatedDto> {
    const roles = parseRoles(dto.roles);
    const brandRoles = roles.filter(isBrandRole);
    if (brandRoles.length > 0) {
      throw invalidField('roles', `${brandRoles.join(' and ')} belong to a brand's keys: issue them with POST /v1/brands/{id}/keys`);
    }
    return this.issue(origin, null, roles, dto);
  }

  async listForBrand(caller: Caller, brandId: string): Promise<ApiKeyListDto> {
    await this.requireBrand(caller, brandId);
    return this.list(brandId);
  }

  async list(owner: KeyOwner): Promise<ApiKeyListDto> {
    return { items: (await this.keys.listForOwner(owner)).map(mapApiKey) };
  }

  async revokeForBrand(caller: Caller, origin: AuditOrigin, brandId: string, keyId: string): Promise<void> {
    await this.requireBrand(caller, brandId);
    return this.revoke(origin, brandId, keyId);
  }

  /** Revoking twice is not an error: the key stays revoked from the first time (which alone is audited). */
  async revoke(origin: AuditOrigin, owner: KeyOwner, keyId: string): Promise<void> {
    if (!isUUID(keyId)) throw noKey(owner, keyId);
    const outcome = await this.transactions.run(async (tx) => {
      const result = await this.keys.revoke(owner, keyId, new Date(), tx);
      if (result === 'revoked') {
        await this.trail.record(tx, { ...origin, action: 'key.revoked', target: `key:${keyId}`, details: { brand: owner } });
      }
      return result;
    });
    if (outcome === 'missing') throw noKey(owner, keyId);
    this.knownKeys.forgetAll();
  }

  async rotateForBrand(
    caller: Caller,
    origin: AuditOrigin,
    brandId: string,
    keyId: string,
    dto: RotateApiKeyDto,
  ): Promise<ApiKeyCreatedDto> {
    await this.requireBrand(caller, brandId);
    return this.rotate(origin, brandId, keyId, dto);
  }

  /** A new key with the old one's roles and name; the old one expires after the overlap. */
  async rotate(origin: AuditOrigin, owner: KeyOwner, keyId: string, dto: RotateApiKeyDto): Promise<ApiKeyCreatedDto> {
    const old = isUUID(keyId) ? await this.keys.findForOwner(owner, keyId) : null;
    if (old === null) throw noKey(owner, keyId);
    const now = new Date();
    const { entity, key } = this.newKey(owner, parseRoles(old.roles), { name: old.name ?? undefined, expiresAt: dto.expiresAt }, now);
    const overlapEnd = new Date(now.getTime() + (dto.overlapSeconds ?? DEFAULT_ROTATION_OVERLAP_SECONDS) * 1000);
    const rotated = await this.transactions.run(async (tx) => {
      if (!(await this.keys.rotate(owner, keyId, entity, overlapEnd, tx))) return false;
      await this.trail.record(tx, {
        ...origin,
        action: 'key.rotated',
        target: `key:${keyId}`,
        details: { brand: owner, replacement: entity.id, overlapEndsAt: overlapEnd.toISOString() },
      });
      return true;
    });
    if (!rotated) {
      throw new DomainError(ErrorCode.API_KEY_NOT_FOUND, `API key ${keyId} is revoked or expired; issue a new key instead`);
    }
    this.knownKeys.forgetAll();
    return mapApiKeyCreated(entity, key);
  }

  private async issue(
    origin: AuditOrigin,
    owner: KeyOwner,
    roles: Role[],
    options: { name?: string; expiresAt?: string },
  ): Promise<ApiKeyCreatedDto> {
    const { entity, key } = this.newKey(owner, roles, options, new Date());
    await this.transactions.run(async (tx) => {
      await this.keys.insert(entity, tx);
      await this.trail.record(tx, {
        ...origin,
        action: 'key.created',
        target: `key:${entity.id}`,
        details: { brand: owner, roles, expiresAt: entity.expiresAt?.toISOString() ?? null },
      });
    });
    return mapApiKeyCreated(entity, key);
  }

  private newKey(
    owner: KeyOwner,
    roles: Role[],
    options: { name?: string; expiresAt?: string },
    now: Date,
  ): { entity: ApiKeyEntity; key: string } {
    const expiresAt = options.expiresAt === undefined ? null : parseRfc3339(options.expiresAt);
    if (expiresAt !== null && expiresAt.getTime() <= now.getTime()) throw invalidField('expiresAt', 'must be in the future');
    const { key, keyHash, keyPrefix } = generateApiKey();
    const entity: ApiKeyEntity = {
      id: randomUUID(),
      brandId: owner,
      keyHash,
      keyPrefix,
      roles,
      name: options.name ?? null,
      createdAt: now,
      expiresAt,
      lastUsedAt: null,
      revokedAt: null,
    };
    return { entity, key };
  }

  /** The operator reaches every brand; a brand's admin key only its own (others are "not found"). */
  private async requireBrand(caller: Caller, brandId: string): Promise<void> {
    const visible = caller.kind === 'operator' || caller.brandId === brandId;
    const brand = visible && isUUID(brandId) ? await this.brands.findById(brandId) : null;
    if (brand === null) throw new DomainError(ErrorCode.BRAND_NOT_FOUND, `No brand ${brandId}`);
  }
}

function noKey(owner: KeyOwner, keyId: string): DomainError {
  return new DomainError(
    ErrorCode.API_KEY_NOT_FOUND,
    owner === null ? `No operator-issued API key ${keyId}` : `Brand ${owner} has no API key ${keyId}`,
  );
}
