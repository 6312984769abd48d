import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A key of the service itself (e.g. the order link token key), stored only wrapped by the data key. */
@Entity({ name: 'service_keys' })
export class ServiceKeyEntity {
  @PrimaryColumn({ type: 'text' })
  name!: string;

  @Column({ name: 'wrapped_key', type: 'bytea' })
  wrappedKey!: Buffer;

  /** Which data key wraps it (DataKeyRing ids). */
  @Column({ name: 'data_key_id', type: 'text' })
  dataKeyId!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
