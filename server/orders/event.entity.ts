import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

@Entity({ name: 'events' })
@Index('uq_events_order_seq', ['orderId', 'seq'], { unique: true })
export class EventEntity {
  /** Global ingest order (bigint as a decimal string). */
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id!: string;

  @Column({ name: 'order_id', type: 'text' })
  orderId!: string;

  @Column({ type: 'integer' })
  seq!: number;

  @Column({ type: 'text' })
  type!: string;

  /** The exact RFC 8785 canonical JSON of the event record: the bytes the leaf hashes. */
  @Column({ type: 'text' })
  record!: string;

  @Column({ type: 'text' })
  leaf!: string;

  /** AES-256-GCM sealed `{name: {value, salt}}` of the private fields (see SealedFieldCipher). */
  @Column({ name: 'sealed_private', type: 'bytea', nullable: true })
  sealedPrivate!: Buffer | null;

  /** The batch the event belongs to, assigned when it is stored; the batch is sealed later. */
  @Column({ name: 'batch_seq', type: 'integer' })
  batchSeq!: number;

  /** Its leaf's position in that batch's tree. */
  @Column({ name: 'batch_index', type: 'integer' })
  batchIndex!: number;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
