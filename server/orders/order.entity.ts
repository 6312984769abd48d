import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

@Entity({ name: 'orders' })
@Index('idx_orders_brand_created', ['brandId', 'createdAt', 'id'])
export class OrderEntity {
  /** `ord_` + 26 Crockford base-32 characters (time-ordered, random). */
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ name: 'brand_id', type: 'uuid' })
  brandId!: string;

  /** The brand's own order number, unique per brand. */
  @Column({ type: 'text' })
  reference!: string;

  /** The lifecycle state reached by the last state-changing event. */
  @Column({ type: 'text' })
  status!: string;

  @Column({ name: 'last_seq', type: 'integer' })
  lastSeq!: number;

  /** Leaf hash of event `lastSeq`: the next event's `prev`. */
  @Column({ name: 'last_leaf', type: 'text', nullable: true })
  lastLeaf!: string | null;

  /** Public data of the `created` event. */
  @Column({ type: 'jsonb' })
  data!: Record<string, unknown>;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  /** The order's key for private fields, wrapped by the data key; null before per-order keys and after erasure. */
  @Column({ name: 'wrapped_key', type: 'bytea', nullable: true, select: false })
  wrappedKey?: Buffer | null;

  /** Which data key wraps `wrappedKey` (DataKeyRing ids). */
  @Column({ name: 'data_key_id', type: 'text', nullable: true, select: false })
  dataKeyId?: string | null;

  /** When the order's private fields were erased; null while they are kept. */
  @Column({ name: 'erased_at', type: 'timestamptz', nullable: true })
  erasedAt!: Date | null;
}
