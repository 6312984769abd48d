import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit trail of privileged actions (server/audit-trail): append-only and hash-chained. The
 * database itself refuses UPDATE, DELETE and TRUNCATE of entries, whoever asks; one head row,
 * locked by every writer, serializes the chain.
 */
export class AuditTrail1795600900000 implements MigrationInterface {
  name = 'AuditTrail1795600900000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit_log (
        seq bigint PRIMARY KEY,
        at timestamptz NOT NULL,
        actor text NOT NULL,
        action text NOT NULL,
        target text NOT NULL,
        details jsonb NOT NULL,
        from_address text NULL,
        prev text NOT NULL,
        hash text NOT NULL
      )`);
    await q.query(`
      CREATE TABLE audit_log_head (
        id smallint PRIMARY KEY CONSTRAINT ck_audit_log_head_single CHECK (id = 1),
        seq bigint NOT NULL,
        hash text NOT NULL
      )`);
    await q.query(`INSERT INTO audit_log_head (id, seq, hash) VALUES (1, 0, '0x${'0'.repeat(64)}')`);
    await q.query(`
      CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END
      $$`);
    await q.query(`
      CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
        FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change()`);
    await q.query(`
      CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
        FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_log_head`);
    await q.query(`DROP TABLE audit_log`);
    await q.query(`DROP FUNCTION audit_log_refuse_change()`);
  }
}
