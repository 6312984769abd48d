/**
 * The audit's read access to an ordertrace database: one connection, one read-only REPEATABLE READ
 * transaction (every query sees the same snapshot while the service keeps writing), and server-side
 * cursors so that rows stream in fixed-size pages whatever the table size.
 */
import { Client } from 'pg';
import { type AuditEntry, auditEntryOfRow, type StoredAuditEntry } from '../../proof/audit-entry';
import Cursor from 'pg-cursor';
import { CliError } from '../cli-error';
import type { StoredBatchLeafRow } from './batch-check';
import type { StoredEventRow } from './order-history-check';

const PAGE_ROWS = 2000;

export interface ContractSetting {
  address: string;
  chainId: number | null;
}

/** The database URL without its password, for messages and output. */
export function redactDatabaseUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable URL)';
  }
}

export class AuditDatabase {
  private constructor(
    private readonly client: Client,
    private readonly label: string,
  ) {}

  static async open(url: string, timeoutMs: number): Promise<AuditDatabase> {
    const label = redactDatabaseUrl(url);
    const client = new Client({ connectionString: url, connectionTimeoutMillis: timeoutMs, application_name: 'ordertrace audit' });
    // A connection dropped mid-audit surfaces on the pending query; this only keeps it from crashing the process.
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    } catch (err) {
      await client.end().catch(() => undefined);
      throw new CliError('DATABASE_UNREACHABLE', `cannot connect to the database ${label}: ${describePgError(err)}`, { cause: err });
    }
    return new AuditDatabase(client, label);
  }

  async close(): Promise<void> {
    await this.client.query('ROLLBACK').catch(() => undefined);
    await this.client.end().catch(() => undefined);
  }

  /**
   * The contract the service anchors to, as its anchoring module recorded it in service_state
   * (key 'anchoring.chain': {chainId, contract, …}; an older 'contract' key: {address, chainId}).
   */
  async contractSetting(): Promise<ContractSetting | null> {
    const { rows } = await this.query<{ key: string; value: unknown }>(
      `SELECT key, value FROM service_state WHERE key IN ('anchoring.chain', 'contract') ORDER BY key = 'anchoring.chain' DESC`,
    );
    for (const { value } of rows) {
      const v = value as { contract?: unknown; address?: unknown; chainId?: unknown } | null;
      const address = typeof v?.contract === 'string' ? v.contract : typeof v?.address === 'string' ? v.address : null;
      if (address !== null) return { address, chainId: typeof v?.chainId === 'number' ? v.chainId : null };
    }
    return null;
  }

  /** The planner's row estimate, for progress only (an exact count would scan the table twice). */
  async estimatedEventCount(): Promise<number> {
    const { rows } = await this.query<{ n: number }>(
      `SELECT greatest(reltuples, 0)::float8 AS n FROM pg_class WHERE relname = 'events' AND relkind = 'r'`,
    );
    return Math.round(rows[0]?.n ?? 0);
  }

  async brandExists(slug: string): Promise<boolean> {
    const { rows } = await this.query(`SELECT 1 FROM brands WHERE slug = $1`, [slug]);
    return rows.length > 0;
  }

  /** Every event with its order's brand and head, in (order_id, seq) order. */
  events(brand: string | undefined): AsyncGenerator<StoredEventRow> {
    return this.stream<StoredEventRow>(
      `SELECT e.order_id, e.seq, e.type, e.record, e.leaf, e.batch_seq, b.slug AS brand_slug,
              o.last_seq AS order_last_seq, o.last_leaf AS order_last_leaf
         FROM events e
         JOIN orders o ON o.id = e.order_id
         JOIN brands b ON b.id = o.brand_id
        ${brand === undefined ? '' : 'WHERE b.slug = $1'}
        ORDER BY e.order_id, e.seq`,
      brand === undefined ? [] : [brand],
    );
  }

  /**
   * Every batch (with --brand: every batch holding one of the brand's events) with all its events'
   * leaves, in (batch seq, batch_index) order. A batch without events still yields one row.
   */
  batchLeaves(brand: string | undefined): AsyncGenerator<StoredBatchLeafRow> {
    const filter =
      brand === undefined
        ? ''
        : `WHERE bt.seq IN (SELECT DISTINCT e2.batch_seq FROM events e2 JOIN orders o ON o.id = e2.order_id
                             JOIN brands b ON b.id = o.brand_id WHERE b.slug = $1)`;
    return this.stream<StoredBatchLeafRow>(
      `SELECT bt.seq AS batch_seq, bt.root, bt.leaf_count, bt.status, bt.contract, bt.chain_id, e.batch_index, e.leaf
         FROM batches bt
         LEFT JOIN events e ON e.batch_seq = bt.seq
        ${filter}
        ORDER BY bt.seq, e.batch_index`,
      brand === undefined ? [] : [brand],
    );
  }

  /**
   * Events whose batch should exist but does not (at most `limit`): every event names its batch
   * when it is stored, and batches are sealed in seq order, so only batches after the last sealed
   * one may still be missing.
   */
  async eventsInMissingBatches(brand: string | undefined, limit: number): Promise<{ order_id: string; seq: number; batch_seq: number }[]> {
    const { rows } = await this.query<{ order_id: string; seq: number; batch_seq: number }>(
      `SELECT e.order_id, e.seq, e.batch_seq
         FROM events e
         ${brand === undefined ? '' : 'JOIN orders o ON o.id = e.order_id JOIN brands b ON b.id = o.brand_id AND b.slug = $2'}
        WHERE e.batch_seq <= (SELECT COALESCE(max(seq), 0) FROM batches)
          AND NOT EXISTS (SELECT 1 FROM batches bt WHERE bt.seq = e.batch_seq)
        ORDER BY e.order_id, e.seq
        LIMIT $1`,
      brand === undefined ? [limit] : [limit, brand],
    );
    return rows;
  }

  /** Events whose batch is not sealed yet. */
  async unbatchedEventCount(brand: string | undefined): Promise<number> {
    const { rows } = await this.query<{ n: string }>(
      `SELECT count(*) AS n FROM events e
        ${brand === undefined ? '' : 'JOIN orders o ON o.id = e.order_id JOIN brands b ON b.id = o.brand_id AND b.slug = $1'}
        WHERE e.batch_seq > (SELECT COALESCE(max(seq), 0) FROM batches)`,
      brand === undefined ? [] : [brand],
    );
    return Number(rows[0].n);
  }

  /** The audit trail's head, or null for a database made before the trail existed. */
  async auditTrailHead(): Promise<{ seq: number; hash: string } | null> {
    const { rows: exists } = await this.query<{ t: string | null }>(`SELECT to_regclass('audit_log_head')::text AS t`);
    if (exists[0]?.t === null || exists[0]?.t === undefined) return null;
    const { rows } = await this.query<{ seq: string; hash: string }>(`SELECT seq, hash FROM audit_log_head WHERE id = 1`);
    return rows.length === 0 ? { seq: 0, hash: '' } : { seq: Number(rows[0].seq), hash: rows[0].hash };
  }

  /** Every audit trail entry in seq order, as the API serves them. */
  async *auditEntries(): AsyncGenerator<AuditEntry> {
    const rows = this.stream<StoredAuditEntry>(
      `SELECT seq, at, actor, action, target, details, from_address, prev, hash FROM audit_log ORDER BY seq`,
      [],
    );
    for await (const r of rows) {
      yield auditEntryOfRow(r);
    }
  }

  async lastBatchSeq(): Promise<number> {
    const { rows } = await this.query<{ n: number | null }>(`SELECT max(seq) AS n FROM batches`);
    return rows[0].n ?? 0;
  }

  private async query<Row extends object = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<{ rows: Row[] }> {
    try {
      return await this.client.query<Row>(sql, params);
    } catch (err) {
      throw this.translate(err);
    }
  }

  private async *stream<Row>(sql: string, params: unknown[]): AsyncGenerator<Row> {
    const cursor = this.client.query(new Cursor<Row>(sql, params));
    try {
      for (;;) {
        let rows: Row[];
        try {
          rows = await cursor.read(PAGE_ROWS);
        } catch (err) {
          throw this.translate(err);
        }
        if (rows.length === 0) return;
        yield* rows;
      }
    } finally {
      await cursor.close().catch(() => undefined);
    }
  }

  private translate(err: unknown): CliError {
    const code = (err as { code?: string }).code;
    // 42P01 undefined_table, 42703 undefined_column: reachable, but not (this version of) an ordertrace database.
    if (code === '42P01' || code === '42703') {
      return new CliError('INPUT', `${this.label} does not look like an ordertrace database: ${describePgError(err)}`, { cause: err });
    }
    return new CliError('DATABASE_UNREACHABLE', `the database ${this.label} failed: ${describePgError(err)}`, { cause: err });
  }
}

function describePgError(err: unknown): string {
  const e = err as { code?: string; message?: string; errors?: { message?: string }[] };
  // Node's AggregateError (IPv4 and IPv6 both refused) has an empty message.
  const message = e?.message || e?.errors?.map((x) => x.message).join('; ') || String(err);
  return e?.code && !message.includes(e.code) ? `${message} (${e.code})` : message;
}
