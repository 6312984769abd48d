import { Column, Entity, PrimaryColumn } from 'typeorm';

export type BatchStatus = 'sealed' | 'submitted' | 'confirmed';

/**
 * A sealed Merkle batch of events and the state of its anchoring transaction.
 * sealed -> submitted (tx signed, its hash and nonce stored before broadcasting) -> confirmed
 * (mined with CHAIN_CONFIRMATIONS, block recorded). A reorg or chain reset sends it back to sealed.
 */
@Entity({ name: 'batches' })
export class BatchEntity {
  @PrimaryColumn({ type: 'integer' })
  seq!: number;

  @Column({ type: 'text' })
  root!: string;

  @Column({ name: 'leaf_count', type: 'integer' })
  leafCount!: number;

  /** bigint as a decimal string. */
  @Column({ name: 'first_event_id', type: 'bigint' })
  firstEventId!: string;

  @Column({ name: 'last_event_id', type: 'bigint' })
  lastEventId!: string;

  @Column({ type: 'text' })
  status!: BatchStatus;

  @Column({ name: 'tx_hash', type: 'text', nullable: true })
  txHash!: string | null;

  @Column({ name: 'tx_nonce', type: 'integer', nullable: true })
  txNonce!: number | null;

  /** bigint as a decimal string. */
  @Column({ name: 'block_number', type: 'bigint', nullable: true })
  blockNumber!: string | null;

  @Column({ name: 'block_hash', type: 'text', nullable: true })
  blockHash!: string | null;

  @Column({ name: 'chain_id', type: 'integer', nullable: true })
  chainId!: number | null;

  @Column({ type: 'text', nullable: true })
  contract!: string | null;

  @Column({ name: 'sealed_at', type: 'timestamptz' })
  sealedAt!: Date;

  @Column({ name: 'submitted_at', type: 'timestamptz', nullable: true })
  submittedAt!: Date | null;

  @Column({ name: 'confirmed_at', type: 'timestamptz', nullable: true })
  confirmedAt!: Date | null;

  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;
}
