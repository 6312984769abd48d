import { Injectable } from '@nestjs/common';
import { isUUID } from 'class-validator';
import type { AuditOrigin } from '../audit-trail/audit-origin';
import { AuditTrailService } from '../audit-trail/audit-trail.service';
import type { BrandPrincipal } from '../auth/brand-principal';
import { SqlExecutor, type SqlSession } from '../database/sql-executor';
import { DomainError, ErrorCode } from '../errors/domain-error';
import { type FlagThresholdsDto, mapThresholds, type SetFlagThresholdsDto } from './flags.dto';
import { FlagsRepository } from './flags.repository';
import { DEFAULT_FLAG_THRESHOLDS, type FlagThresholds } from './order-flags';

/** The thresholds of a brand's flags: what it set, over DEFAULT_FLAG_THRESHOLDS. */
@Injectable()
export class FlagThresholdsService {
  constructor(
    private readonly repository: FlagsRepository,
    private readonly sql: SqlExecutor,
    private readonly trail: AuditTrailService,
  ) {}

  /** The brand's thresholds in effect (read in `session` when given: the evaluator's transaction). */
  async forBrand(brandId: string, session?: SqlSession): Promise<FlagThresholds> {
    const set = await this.repository.thresholdsOf(brandId, session);
    // Only known fields count: a stored object is what a validated PUT wrote, but defaults fill any gap.
    const out: FlagThresholds = { ...DEFAULT_FLAG_THRESHOLDS };
    for (const name of Object.keys(DEFAULT_FLAG_THRESHOLDS) as (keyof FlagThresholds)[]) {
      const value = set[name];
      if (typeof value === typeof DEFAULT_FLAG_THRESHOLDS[name]) (out as unknown as Record<string, unknown>)[name] = value;
    }
    return out;
  }

  /** GET /v1/brands/{id}/flag-thresholds. */
  async get(admin: BrandPrincipal, brandId: string): Promise<FlagThresholdsDto> {
    this.requireOwnBrand(admin, brandId);
    return mapThresholds(await this.forBrand(brandId));
  }

  /** PUT /v1/brands/{id}/flag-thresholds: replaces what the brand set; a field left out takes its default. */
  async set(admin: BrandPrincipal, origin: AuditOrigin, brandId: string, dto: SetFlagThresholdsDto): Promise<FlagThresholdsDto> {
    this.requireOwnBrand(admin, brandId);
    const given = Object.fromEntries(Object.entries(dto).filter(([, v]) => v !== undefined)) as Partial<FlagThresholds>;
    await this.sql.transaction(async (session) => {
      await this.repository.setThresholds(session, brandId, given);
      await this.trail.record(session, {
        ...origin,
        action: 'flag-thresholds.set',
        target: `brand:${brandId}`,
        details: { ...given },
      });
    });
    return mapThresholds({ ...DEFAULT_FLAG_THRESHOLDS, ...given });
  }

  /** A brand's admin key reaches its own brand only; any other brand is "not found". */
  private requireOwnBrand(admin: BrandPrincipal, brandId: string): void {
    if (!isUUID(brandId) || admin.brandId !== brandId) throw new DomainError(ErrorCode.BRAND_NOT_FOUND, `No brand ${brandId}`);
  }
}
