import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A brand's permission for an operator-issued key (arbitrator or auditor) to read one of its
 * orders, or all of them when orderId is null.
 */
@Entity({ name: 'grants' })
export class GrantEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'key_id', type: 'uuid' })
  keyId!: string;

  /** The granting brand: the order's brand for an order grant. */
  @Column({ name: 'brand_id', type: 'uuid' })
  brandId!: string;

  @Column({ name: 'order_id', type: 'text', nullable: true })
  orderId!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;
}
