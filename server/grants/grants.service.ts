import { randomUUID } from 'node:crypto';
import type { AuditOrigin } from '../audit-trail/audit-origin';
import { AuditTrailService } from '../audit-trail/audit-trail.service';
import { UnitOfWork } from '../database/unit-of-work';
import { Injectable } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { ApiKeysRepository } from '../auth/api-keys.repository';
import type { BrandPrincipal, KeyCaller } from '../auth/brand-principal';
import type { GrantEntity } from '../auth/grant.entity';
import { GrantsRepository } from '../auth/grants.repository';
import { isGranteeRole } from '../auth/roles';
import { DomainError, ErrorCode, invalidField } from '../errors/domain-error';
import { OrdersService } from '../orders/orders.service';
import { type CreateGrantDto, type GrantDto, type GrantListDto, mapGrant } from './grants.dto';

/**
 * Grants: a brand's admin opens one of its orders, or all of them, to an arbitrator or auditor
 * key. The reads they open check them (OrdersService.findReadable); revoking one closes it at once.
 */
@Injectable()
export class GrantsService {
  constructor(
    private readonly grants: GrantsRepository,
    private readonly keys: ApiKeysRepository,
    private readonly orders: OrdersService,
    private readonly transactions: UnitOfWork,
    private readonly trail: AuditTrailService,
  ) {}

  /** POST /v1/grants. */
  async create(admin: BrandPrincipal, origin: AuditOrigin, dto: CreateGrantDto): Promise<GrantDto> {
    if ((dto.order === undefined) === (dto.brand === undefined)) {
      throw invalidField('order', 'send exactly one of "order" (an order id) or "brand" (your brand id)');
    }
    if (dto.brand !== undefined && dto.brand !== admin.brandId) {
      throw new DomainError(ErrorCode.FORBIDDEN, "A brand's admin key grants its own brand's orders only", { field: 'brand' });
    }
    if (dto.order !== undefined && (await this.orders.find(dto.order, admin.brandId)) === null) {
      throw new DomainError(ErrorCode.ORDER_NOT_FOUND, `No order ${dto.order}`, { field: 'order' });
    }
    const key = await this.keys.findById(dto.key);
    const live = key !== null && key.revokedAt === null && (key.expiresAt === null || key.expiresAt.getTime() > Date.now());
    const grantee = live && key.brandId === null && key.roles.some(isGranteeRole);
    if (!grantee) {
      throw new DomainError(ErrorCode.API_KEY_NOT_FOUND, `No live arbitrator or auditor key ${dto.key}`, { field: 'key' });
    }
    const grant: GrantEntity = {
      id: randomUUID(),
      keyId: dto.key,
      brandId: admin.brandId,
      orderId: dto.order ?? null,
      createdAt: new Date(),
      revokedAt: null,
    };
    await this.transactions.run(async (tx) => {
      await this.grants.insert(grant, tx);
      await this.trail.record(tx, {
        ...origin,
        action: 'grant.created',
        target: `grant:${grant.id}`,
        details: { key: grant.keyId, brand: grant.brandId, order: grant.orderId },
      });
    });
    return mapGrant(grant);
  }

  /** GET /v1/grants: a brand's grants for its admin key; the live grants it holds for an arbitrator or auditor key. */
  async list(caller: KeyCaller): Promise<GrantListDto> {
    const rows = caller.brandId !== null ? await this.grants.listOfBrand(caller.brandId) : await this.grants.listLiveOfKey(caller.keyId);
    return { items: rows.map(mapGrant) };
  }

  /** DELETE /v1/grants/{id}; revoking twice is not an error. */
  async revoke(admin: BrandPrincipal, origin: AuditOrigin, grantId: string): Promise<void> {
    const outcome = !isUUID(grantId)
      ? 'missing'
      : await this.transactions.run(async (tx) => {
          const result = await this.grants.revoke(admin.brandId, grantId, new Date(), tx);
          if (result === 'revoked') {
            await this.trail.record(tx, {
              ...origin,
              action: 'grant.revoked',
              target: `grant:${grantId}`,
              details: { brand: admin.brandId },
            });
          }
          return result;
        });
    if (outcome === 'missing') {
      throw new DomainError(ErrorCode.GRANT_NOT_FOUND, `Brand ${admin.brandId} has no grant ${grantId}`);
    }
  }
}
