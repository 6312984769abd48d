import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'brands' })
export class BrandEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  /** Names the brand in every event record; never changes once the brand has events. */
  @Column({ type: 'text' })
  slug!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
