import { Column, Entity, Index, PrimaryColumn, Unique } from 'typeorm';

/**
 * A consumer's capability to see one order on the public verifier page and confirm its receipt.
 * Only the SHA-256 of the token is stored; revoked tokens stay for the record.
 */
@Entity({ name: 'order_access_tokens' })
@Index('idx_order_access_tokens_order', ['orderId', 'createdAt'])
@Unique('uq_order_access_tokens_token_hash', ['tokenHash'])
export class OrderAccessTokenEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'order_id', type: 'text' })
  orderId!: string;

  /** Hex SHA-256 of the token's UTF-8 text. */
  @Column({ name: 'token_hash', type: 'text' })
  tokenHash!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;
}
