import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

@Entity({ name: 'api_keys' })
@Index('idx_api_keys_brand', ['brandId'])
export class ApiKeyEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  /** The brand whose key it is; null for the operator's arbitrator and auditor keys. */
  @Column({ name: 'brand_id', type: 'uuid', nullable: true })
  brandId!: string | null;

  /** sha-256 hex of the key; the key itself is shown once and never stored. */
  @Column({ name: 'key_hash', type: 'text' })
  keyHash!: string;

  /** The key's first characters, to tell keys apart in listings and logs. */
  @Column({ name: 'key_prefix', type: 'text' })
  keyPrefix!: string;

  /** Role names (server/auth/roles.ts). */
  @Column({ type: 'text', array: true })
  roles!: string[];

  /** The issuer's label for the key, e.g. who holds it. */
  @Column({ type: 'text', nullable: true })
  name!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  /** From then on the key is refused; set on creation or by a rotation's overlap. */
  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true })
  expiresAt!: Date | null;

  /** Within about a minute of the key's last use (ApiKeyCacheService writes it at most once a minute). */
  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true })
  lastUsedAt!: Date | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;
}
