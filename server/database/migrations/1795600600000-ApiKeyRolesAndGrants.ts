import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Roles on API keys (server/auth/roles.ts). The one role `brand` becomes brand:admin, brand:write
 * and brand:read; `arbitrator` on a brand's key (which opened that brand's bundles) becomes
 * brand:read; other names granted nothing and are dropped. Arbitrator and auditor keys are
 * issued by the operator and belong to no brand (brand_id NULL, checked against their roles);
 * brands open their orders to them through grants. Keys may expire, and remember their last use.
 */
export class ApiKeyRolesAndGrants1795600600000 implements MigrationInterface {
  name = 'ApiKeyRolesAndGrants1795600600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      UPDATE api_keys SET roles = ARRAY(
        SELECT d.r FROM (
          SELECT DISTINCT n.r FROM unnest(roles) AS old(role)
            CROSS JOIN LATERAL unnest(CASE old.role
              WHEN 'brand' THEN ARRAY['brand:admin', 'brand:write', 'brand:read']
              WHEN 'arbitrator' THEN ARRAY['brand:read']
              ELSE ARRAY[]::text[] END) AS n(r)) AS d
         ORDER BY array_position(ARRAY['brand:admin', 'brand:write', 'brand:read'], d.r))`);
    await q.query(`ALTER TABLE api_keys ALTER COLUMN roles SET DEFAULT '{brand:write,brand:read}'`);
    await q.query(`ALTER TABLE api_keys ALTER COLUMN brand_id DROP NOT NULL`);
    await q.query(`ALTER TABLE api_keys ADD COLUMN name text NULL`);
    await q.query(`ALTER TABLE api_keys ADD COLUMN expires_at timestamptz NULL`);
    await q.query(`ALTER TABLE api_keys ADD COLUMN last_used_at timestamptz NULL`);
    await q.query(`
      ALTER TABLE api_keys ADD CONSTRAINT ck_api_keys_roles_of_owner CHECK (
        CASE WHEN brand_id IS NULL THEN roles <@ ARRAY['arbitrator', 'auditor']::text[]
             ELSE roles <@ ARRAY['brand:admin', 'brand:write', 'brand:read']::text[] END)`);
    await q.query(`CREATE INDEX idx_api_keys_operator ON api_keys (created_at) WHERE brand_id IS NULL`);
    await q.query(`
      CREATE TABLE grants (
        id uuid PRIMARY KEY,
        key_id uuid NOT NULL CONSTRAINT fk_grants_key REFERENCES api_keys (id),
        brand_id uuid NOT NULL CONSTRAINT fk_grants_brand REFERENCES brands (id),
        order_id text NULL CONSTRAINT fk_grants_order REFERENCES orders (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz NULL
      )`);
    await q.query(`CREATE INDEX idx_grants_key ON grants (key_id) WHERE revoked_at IS NULL`);
    await q.query(`CREATE INDEX idx_grants_brand ON grants (brand_id, created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE grants`);
    await q.query(`DROP INDEX idx_api_keys_operator`);
    await q.query(`ALTER TABLE api_keys DROP CONSTRAINT ck_api_keys_roles_of_owner`);
    await q.query(`DELETE FROM api_keys WHERE brand_id IS NULL`);
    await q.query(`ALTER TABLE api_keys DROP COLUMN last_used_at, DROP COLUMN expires_at, DROP COLUMN name`);
    await q.query(`ALTER TABLE api_keys ALTER COLUMN brand_id SET NOT NULL`);
    await q.query(`ALTER TABLE api_keys ALTER COLUMN roles SET DEFAULT '{brand}'`);
    await q.query(`UPDATE api_keys SET roles = CASE WHEN 'brand:admin' = ANY (roles) THEN '{brand}'::text[] ELSE roles END`);
  }
}
