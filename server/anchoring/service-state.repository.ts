import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** What the anchoring service remembers about the chain it anchors on, to notice a reset or a new contract. */
export interface AnchorChainState {
  chainId: number;
  /** Hash of block 0: a restarted dev chain has a new one. */
  genesisHash: string;
  contract: string;
  /** Block the contract was deployed in, when we deployed it: the floor of log searches. */
  deployBlock: number | null;
}

export const ANCHOR_CHAIN_STATE_KEY = 'anchoring.chain';

@Injectable()
export class ServiceStateRepository {
  constructor(private readonly dataSource: DataSource) {}

  async get<T>(key: string): Promise<T | null> {
    const rows: { value: T }[] = await this.dataSource.query(`SELECT value FROM service_state WHERE key = $1`, [key]);
    return rows.length === 0 ? null : rows[0].value;
  }

  async set(key: string, value: unknown): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO service_state (key, value, updated_at) VALUES ($1, $2::jsonb, now())
       ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
      [key, JSON.stringify(value)],
    );
  }
}
