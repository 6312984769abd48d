import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The anomaly rule "one tracking number on several orders" looks up, for each tracking number an
 * evaluated event carries, the brand's other events carrying it. Without an index that read every
 * event of the brand and parsed its record as JSON, once per shipped event. The tracking numbers
 * of an event (its public `data.trackingNo`, `data.trackingNumber` or `data.tracking`, the fields
 * of TRACKING_NUMBER_FIELDS in server/flags/order-flags.ts) are indexed by an expression; the index
 * holds only records that name such a field, which a plain text match decides without parsing the
 * JSON, so the other events cost an insert next to nothing.
 */
export class EventTrackingNumberIndex1795601500000 implements MigrationInterface {
  name = 'EventTrackingNumberIndex1795601500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE OR REPLACE FUNCTION event_tracking_numbers(record text) RETURNS text[]
        LANGUAGE sql IMMUTABLE PARALLEL SAFE
        AS $$ SELECT array_remove(ARRAY[d ->> 'trackingNo', d ->> 'trackingNumber', d ->> 'tracking'], NULL)
                FROM (SELECT record::jsonb -> 'data' AS d) AS r $$`);
    await q.query(
      `CREATE INDEX IF NOT EXISTS idx_events_tracking_numbers ON events USING gin (event_tracking_numbers(record)) WHERE record LIKE '%"tracking%'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX idx_events_tracking_numbers`);
    await q.query(`DROP FUNCTION event_tracking_numbers(text)`);
  }
}
