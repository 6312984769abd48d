import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { type AuditEntry, auditEntryOfRow, type StoredAuditEntry } from '../../proof/audit-entry';
import type { Hex } from '../../proof/bytes';
import type { SqlSession } from '../database/sql-executor';

/** A transaction to write in: TypeORM's (UnitOfWork) or the driver's (SqlExecutor). */
export type AuditSession = EntityManager | SqlSession;

/** The audit_log table and its head row: the only place their SQL lives. */
@Injectable()
export class AuditTrailRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The chain's head, locked until the session's transaction ends: writers append one after another. */
  async lockHead(session: AuditSession): Promise<{ seq: number; hash: Hex }> {
    const rows = await rowsOf<{ seq: string; hash: string }>(session, `SELECT seq, hash FROM audit_log_head WHERE id = 1 FOR UPDATE`, []);
    return { seq: Number(rows[0].seq), hash: rows[0].hash as Hex };
  }

  /** Appends the entry and moves the head to it (the head must be locked in this session). */
  async append(session: AuditSession, entry: AuditEntry): Promise<void> {
    await rowsOf(
      session,
      `INSERT INTO audit_log (seq, at, actor, action, target, details, from_address, prev, hash)
       VALUES ($1, $2::timestamptz, $3, $4, $5, $6::jsonb, $7, $8, $9)`,
      [entry.seq, entry.at, entry.actor, entry.action, entry.target, JSON.stringify(entry.details), entry.from, entry.prev, entry.hash],
    );
    await rowsOf(session, `UPDATE audit_log_head SET seq = $1, hash = $2 WHERE id = 1`, [entry.seq, entry.hash]);
  }

  /** Entries after `after`, in seq order. */
  async page(after: number, limit: number): Promise<AuditEntry[]> {
    const rows = await this.dataSource.query<StoredAuditEntry[]>(
      `SELECT seq, at, actor, action, target, details, from_address, prev, hash
         FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2`,
      [after, limit],
    );
    return rows.map(auditEntryOfRow);
  }
}

async function rowsOf<T>(session: AuditSession, sql: string, params: unknown[]): Promise<T[]> {
  if (isEntityManager(session)) return session.query<T[]>(sql, params);
  return (await session.query<T>(sql, params)).rows;
}

function isEntityManager(session: AuditSession): session is EntityManager {
  return 'connection' in session;
}
