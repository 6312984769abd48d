import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Signed webhooks (Standard Webhooks). A brand's endpoints keep their signing secret encrypted with
 * the data key (it must be recoverable to sign); the previous one stays valid until
 * `previous_secret_until` after a rotation. Messages are the transactional outbox: written in the
 * transaction of what they report, one row per endpoint, their id being the `webhook-id` every
 * retry repeats. Attempts are the delivery log (status, duration, error class; never a body).
 * The single stall row remembers an open anchoring stall episode, so that each one is reported once.
 */
export class CreateWebhooks1795600800000 implements MigrationInterface {
  name = 'CreateWebhooks1795600800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE webhook_endpoints (
        id uuid PRIMARY KEY,
        brand_id uuid NOT NULL CONSTRAINT fk_webhook_endpoints_brand REFERENCES brands (id),
        url text NOT NULL,
        types text[] NULL,
        secret_sealed bytea NOT NULL,
        previous_secret_sealed bytea NULL,
        previous_secret_until timestamptz NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        failing_since timestamptz NULL,
        disabled_at timestamptz NULL,
        disabled_reason text NULL
      )`);
    await q.query(`CREATE INDEX idx_webhook_endpoints_brand ON webhook_endpoints (brand_id, created_at)`);
    await q.query(`
      CREATE TABLE webhook_messages (
        id text PRIMARY KEY,
        endpoint_id uuid NOT NULL CONSTRAINT fk_webhook_messages_endpoint REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
        type text NOT NULL,
        payload text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        status text NOT NULL DEFAULT 'pending' CONSTRAINT ck_webhook_messages_status CHECK (status IN ('pending', 'delivered', 'failed')),
        attempts int NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        retry_until timestamptz NOT NULL,
        delivered_at timestamptz NULL
      )`);
    await q.query(`CREATE INDEX idx_webhook_messages_due ON webhook_messages (next_attempt_at) WHERE status = 'pending'`);
    await q.query(`CREATE INDEX idx_webhook_messages_endpoint ON webhook_messages (endpoint_id, created_at)`);
    await q.query(`
      CREATE TABLE webhook_attempts (
        id bigserial PRIMARY KEY,
        message_id text NOT NULL CONSTRAINT fk_webhook_attempts_message REFERENCES webhook_messages (id) ON DELETE CASCADE,
        attempted_at timestamptz NOT NULL,
        status_code int NULL,
        duration_ms int NOT NULL,
        error text NULL
      )`);
    await q.query(`CREATE INDEX idx_webhook_attempts_message ON webhook_attempts (message_id, id)`);
    await q.query(`
      CREATE TABLE webhook_anchoring_stall (
        id int PRIMARY KEY CONSTRAINT ck_webhook_anchoring_stall_single CHECK (id = 1),
        open_since timestamptz NULL
      )`);
    await q.query(`INSERT INTO webhook_anchoring_stall (id, open_since) VALUES (1, NULL)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE webhook_anchoring_stall`);
    await q.query(`DROP TABLE webhook_attempts`);
    await q.query(`DROP TABLE webhook_messages`);
    await q.query(`DROP TABLE webhook_endpoints`);
  }
}
