import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { WrappedKey } from '../config/data-key-ring';

function wrappedOf(row: { wrapped_key: Uint8Array; data_key_id: string }): WrappedKey {
  return { wrapped: Buffer.from(row.wrapped_key), dataKeyId: row.data_key_id };
}

@Injectable()
export class ServiceKeysRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The stored key of this name, storing `candidate` first when there is none (the first of concurrent starters wins). */
  async findOrInsert(name: string, candidate: WrappedKey): Promise<WrappedKey> {
    await this.dataSource.query(
      `INSERT INTO service_keys (name, wrapped_key, data_key_id, created_at, updated_at) VALUES ($1, decode($2, 'base64'), $3, now(), now())
       ON CONFLICT (name) DO NOTHING`,
      [name, candidate.wrapped.toString('base64'), candidate.dataKeyId],
    );
    const rows: { wrapped_key: Uint8Array; data_key_id: string }[] = await this.dataSource.query(
      `SELECT wrapped_key, data_key_id FROM service_keys WHERE name = $1`,
      [name],
    );
    return wrappedOf(rows[0]);
  }

  /** Keys wrapped under another data key than `dataKeyId`. */
  async notUnder(dataKeyId: string): Promise<{ name: string; wrapped: WrappedKey }[]> {
    const rows: { name: string; wrapped_key: Uint8Array; data_key_id: string }[] = await this.dataSource.query(
      `SELECT name, wrapped_key, data_key_id FROM service_keys WHERE data_key_id <> $1 ORDER BY name`,
      [dataKeyId],
    );
    return rows.map((r) => ({ name: r.name, wrapped: wrappedOf(r) }));
  }

  /** Replaces a key's wrapping, if it is still the one read (a concurrent rotation wins otherwise). */
  async rewrap(name: string, from: WrappedKey, to: WrappedKey): Promise<void> {
    await this.dataSource.query(
      `UPDATE service_keys SET wrapped_key = decode($2, 'base64'), data_key_id = $3, updated_at = now() WHERE name = $1 AND wrapped_key = decode($4, 'base64')`,
      [name, to.wrapped.toString('base64'), to.dataKeyId, from.wrapped.toString('base64')],
    );
  }
}
