import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { type AuditEntry, type AuditEntryFields, auditEntryHash } from '../../proof/audit-entry';
import type { JsonValue } from '../../proof/canonical';
import { toRfc3339Millis } from '../../proof/record';
import type { AuditOrigin } from './audit-origin';
import { type AuditSession, AuditTrailRepository } from './audit-trail.repository';

/** The actions the trail records; `target` names what each was done to. */
export type AuditAction =
  | 'brand.created'
  | 'key.created'
  | 'key.revoked'
  | 'key.rotated'
  | 'grant.created'
  | 'grant.revoked'
  /** A bundle or evidence report with private values disclosed (`?disclose=`). */
  | 'disclosure.exported'
  | 'order-link.issued'
  | 'order.erased'
  | 'data-key.rotated'
  | 'webhook.created'
  | 'webhook.deleted'
  | 'webhook.secret-rotated'
  | 'flag-thresholds.set';

export interface AuditRecord extends AuditOrigin {
  readonly action: AuditAction;
  /** `brand:<id>`, `key:<id>`, `grant:<id>`, `order:<id>`, `data-key:<id>`. */
  readonly target: string;
  /** Facts worth keeping (never a secret or a sealed value). */
  readonly details?: { [key: string]: JsonValue };
}

export const AUDIT_PAGE_MAX = 1000;

/**
 * The audit trail: privileged actions, append-only and hash-chained (proof/audit-entry.ts). An
 * action that writes to the database records its entry in the same transaction, so that both
 * are written or neither; an export records its entry before the response is sent.
 */
@Injectable()
export class AuditTrailService {
  constructor(
    private readonly repository: AuditTrailRepository,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /**
   * Appends one entry: in `session`'s transaction (TypeORM's manager from UnitOfWork, or
   * SqlExecutor's session), or in a transaction of its own when null. The chain's head stays
   * locked until that transaction ends.
   */
  async record(session: AuditSession | null, record: AuditRecord): Promise<AuditEntry> {
    if (session === null) return this.dataSource.transaction((tx) => this.append(tx, record));
    return this.append(session, record);
  }

  /** GET /v1/audit-log: entries after `after`, in seq order. */
  async page(after: number, limit: number): Promise<{ items: AuditEntry[]; nextAfter: number | null }> {
    const size = Math.min(limit, AUDIT_PAGE_MAX);
    const items = await this.repository.page(after, size);
    return { items, nextAfter: items.length === size ? items[items.length - 1].seq : null };
  }

  private async append(session: AuditSession, record: AuditRecord): Promise<AuditEntry> {
    const head = await this.repository.lockHead(session);
    const fields: AuditEntryFields = {
      seq: head.seq + 1,
      at: toRfc3339Millis(new Date()),
      actor: record.actor,
      action: record.action,
      target: record.target,
      details: record.details ?? {},
      from: record.from,
      prev: head.hash,
    };
    const entry: AuditEntry = { ...fields, hash: auditEntryHash(fields) };
    await this.repository.append(session, entry);
    return entry;
  }
}
