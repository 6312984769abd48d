import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Small named facts the anchoring service keeps between starts (the chain it anchored on, …). */
@Entity({ name: 'service_state' })
export class ServiceStateEntity {
  @PrimaryColumn({ type: 'text' })
  key!: string;

  @Column({ type: 'jsonb' })
  value!: unknown;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
