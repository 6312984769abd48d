import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

/** A brand's orders created from the first day to the last (inclusive), days counted in `tz`. */
export interface StatsRange {
  brandId: string;
  from: string;
  to: string;
  tz: string;
}

/** A funnel stage and the event types that show an order reached it. */
export interface FunnelStage {
  stage: string;
  types: readonly string[];
}

export interface DurationFigures {
  orders: number;
  medianSeconds: number | null;
  p95Seconds: number | null;
}

/** The range's bounds as instants: local midnight of `from` and of the day after `to`, in `tz`. */
const BOUNDS = `bounds AS (
  SELECT ($2::date)::timestamp AT TIME ZONE $4 AS lo, ($3::date + 1)::timestamp AT TIME ZONE $4 AS hi
)`;
const IN_RANGE = `o.brand_id = $1::uuid AND o.created_at >= b.lo AND o.created_at < b.hi`;
/** When an order was delivered: the `at` of its first carrier delivery or consumer receipt. */
const DELIVERED_TYPES = `('delivered', 'received')`;

function nullableNumber(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value);
}

/**
 * The brand console's figures over a date range: one aggregate query each, over the orders
 * created in the range (the orders index on brand and creation time bounds every one), read
 * only by GET /v1/stats, never on the ingest path. Times between events are their `at` (when
 * the brand says it happened), read from the stored records.
 */
@Injectable()
export class OrderStatsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private params(range: StatsRange): unknown[] {
    return [range.brandId, range.from, range.to, range.tz];
  }

  /** Orders created on each day of the range, zeros included, oldest first. */
  async ordersPerDay(range: StatsRange): Promise<{ date: string; orders: number }[]> {
    const rows = await this.dataSource.query<{ date: string; orders: number }[]>(
      `SELECT to_char(d.day, 'YYYY-MM-DD') AS date, count(o.id)::int AS orders
         FROM generate_series($2::date::timestamp, $3::date::timestamp, interval '1 day') AS d(day)
         LEFT JOIN orders o ON o.brand_id = $1::uuid
               AND o.created_at >= d.day AT TIME ZONE $4
               AND o.created_at < (d.day + interval '1 day') AT TIME ZONE $4
        GROUP BY d.day
        ORDER BY d.day`,
      this.params(range),
    );
    return rows.map((r) => ({ date: r.date, orders: Number(r.orders) }));
  }

  /** How many of the range's orders hold an event of one of each stage's types. */
  async stagesReached(range: StatsRange, stages: readonly FunnelStage[]): Promise<Map<string, number>> {
    const pairs = stages.flatMap((s) => s.types.map((type) => [s.stage, type]));
    const rows = await this.dataSource.query<{ stage: string; orders: number }[]>(
      `WITH ${BOUNDS},
       reached AS (
         SELECT e.order_id, e.type
           FROM bounds b JOIN orders o ON ${IN_RANGE}
           JOIN events e ON e.order_id = o.id
       )
       SELECT s.stage, count(DISTINCT r.order_id)::int AS orders
         FROM unnest($5::text[], $6::text[]) AS s(stage, type)
         LEFT JOIN reached r ON r.type = s.type
        GROUP BY s.stage`,
      [...this.params(range), pairs.map((p) => p[0]), pairs.map((p) => p[1])],
    );
    return new Map(rows.map((r) => [r.stage, Number(r.orders)]));
  }

  /** Seconds from each order's first `paid` to its delivery: how many, the median and the 95th percentile (interpolated). */
  async paidToDelivered(range: StatsRange): Promise<DurationFigures> {
    const rows = await this.dataSource.query<{ orders: number; median: number | null; p95: number | null }[]>(
      `WITH ${BOUNDS},
       timing AS (
         SELECT min((e.record::jsonb ->> 'at')::timestamptz) FILTER (WHERE e.type = 'paid') AS paid_at,
                min((e.record::jsonb ->> 'at')::timestamptz) FILTER (WHERE e.type IN ${DELIVERED_TYPES}) AS delivered_at
           FROM bounds b JOIN orders o ON ${IN_RANGE}
           JOIN events e ON e.order_id = o.id AND e.type IN ('paid', 'delivered', 'received')
          GROUP BY o.id
       ),
       seconds AS (
         SELECT extract(epoch FROM delivered_at - paid_at)::float8 AS s FROM timing WHERE paid_at IS NOT NULL AND delivered_at IS NOT NULL
       )
       SELECT count(*)::int AS orders,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY s) AS median,
              percentile_cont(0.95) WITHIN GROUP (ORDER BY s) AS p95
         FROM seconds`,
      this.params(range),
    );
    const row = rows[0];
    return { orders: Number(row?.orders ?? 0), medianSeconds: nullableNumber(row?.median), p95Seconds: nullableNumber(row?.p95) };
  }

  /**
   * Delivered orders whose created event promised a day (`data.promisedDelivery`, YYYY-MM-DD), and
   * how many of them were delivered on or before it, the delivery's day read in `tz`. Days compare
   * as text, so a malformed promise never fails the query; one not of that form is not a promise.
   */
  async onTime(range: StatsRange): Promise<{ promised: number; onTime: number }> {
    const rows = await this.dataSource.query<{ promised: number; on_time: number }[]>(
      `WITH ${BOUNDS},
       delivered AS (
         SELECT o.data ->> 'promisedDelivery' AS promised, min((e.record::jsonb ->> 'at')::timestamptz) AS delivered_at
           FROM bounds b JOIN orders o ON ${IN_RANGE} AND o.data ->> 'promisedDelivery' ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'
           JOIN events e ON e.order_id = o.id AND e.type IN ${DELIVERED_TYPES}
          GROUP BY o.id
       )
       SELECT count(*)::int AS promised,
              count(*) FILTER (WHERE to_char(delivered_at AT TIME ZONE $4, 'YYYY-MM-DD') <= promised COLLATE "C")::int AS on_time
         FROM delivered`,
      this.params(range),
    );
    return { promised: Number(rows[0]?.promised ?? 0), onTime: Number(rows[0]?.on_time ?? 0) };
  }
}
