import { Injectable } from '@nestjs/common';
import { isInvalidParameterValue } from '../database/postgres-errors';
import { invalidField } from '../errors/domain-error';
import { HealthService } from '../health/health.service';
import { type FunnelStage, OrderStatsRepository, type StatsRange } from './order-stats.repository';
import type { AnchoringStatsDto, StatsDto, StatsQueryDto } from './stats.dto';

const DAY_MS = 86_400_000;
/** A range of more days than a year is a report, not a console view. */
export const STATS_MAX_DAYS = 366;
export const STATS_DEFAULT_DAYS = 30;

/**
 * The funnel: the main path, each stage reached by an event of its type (a consumer's receipt
 * without a carrier delivery counts as delivered), then the ways out.
 */
export const FUNNEL: readonly FunnelStage[] = [
  { stage: 'created', types: ['created'] },
  { stage: 'paid', types: ['paid'] },
  { stage: 'packed', types: ['packed'] },
  { stage: 'shipped', types: ['shipped'] },
  { stage: 'delivered', types: ['delivered', 'received'] },
  { stage: 'received', types: ['received'] },
  { stage: 'cancelled', types: ['cancelled'] },
  { stage: 'returned', types: ['returned'] },
  { stage: 'refunded', types: ['refunded'] },
];

/** Days since 1970-01-01 of a YYYY-MM-DD day, or null when no such day exists (2026-02-30). */
function dayNumber(day: string): number | null {
  const [y, m, d] = day.split('-').map(Number);
  const ms = Date.UTC(y, m - 1, d);
  return new Date(ms).toISOString().slice(0, 10) === day ? ms / DAY_MS : null;
}

function dayText(dayNo: number): string {
  return new Date(dayNo * DAY_MS).toISOString().slice(0, 10);
}

function knownTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** Today in `tz`, as YYYY-MM-DD. */
function today(tz: string): string {
  const parts = new Intl.DateTimeFormat('en', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(
    new Date(),
  );
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

@Injectable()
export class StatsService {
  constructor(
    private readonly stats: OrderStatsRepository,
    private readonly health: HealthService,
  ) {}

  /** GET /v1/stats: the brand console's figures over the orders the brand created in the range. */
  async brandStats(brandId: string, query: StatsQueryDto): Promise<StatsDto> {
    const range = { brandId, ...this.range(query) };
    try {
      const [ordersPerDay, reached, paidToDelivered, onTime, anchoring] = await Promise.all([
        this.stats.ordersPerDay(range),
        this.stats.stagesReached(range, FUNNEL),
        this.stats.paidToDelivered(range),
        this.stats.onTime(range),
        this.anchoring(),
      ]);
      return {
        from: range.from,
        to: range.to,
        tz: range.tz,
        ordersPerDay,
        funnel: FUNNEL.map(({ stage }) => ({ stage, orders: reached.get(stage) ?? 0 })),
        paidToDelivered,
        onTime: { ...onTime, share: onTime.promised === 0 ? null : onTime.onTime / onTime.promised },
        anchoring,
      };
    } catch (e) {
      // A zone the browser's time zone data knows and the database's does not.
      if (isInvalidParameterValue(e)) throw invalidField('tz', 'is not a time zone the database knows');
      throw e;
    }
  }

  private range(query: StatsQueryDto): Omit<StatsRange, 'brandId'> {
    const tz = query.tz ?? 'UTC';
    if (!knownTimeZone(tz)) throw invalidField('tz', 'must be an IANA time zone name');
    const to = query.to ?? today(tz);
    const toNo = dayNumber(to);
    if (toNo === null) throw invalidField('to', 'is not a day of the calendar');
    const fromNo = query.from === undefined ? toNo - (STATS_DEFAULT_DAYS - 1) : dayNumber(query.from);
    if (fromNo === null) throw invalidField('from', 'is not a day of the calendar');
    if (fromNo > toNo) throw invalidField('from', 'must not be after to');
    if (toNo - fromNo + 1 > STATS_MAX_DAYS) throw invalidField('from', `must be at most ${STATS_MAX_DAYS} days before to, counting both`);
    return { from: dayText(fromNo), to, tz };
  }

  /** What /readyz says of anchoring, for the brand's staff: how far behind, and what is left to pay for it. */
  private async anchoring(): Promise<AnchoringStatsDto> {
    const { anchoring } = await this.health.readiness();
    const funds = anchoring.funds;
    return {
      enabled: anchoring.enabled,
      lagSeconds: anchoring.oldestUnanchoredMs === null ? null : anchoring.oldestUnanchoredMs / 1000,
      balance: funds?.balance ?? null,
      balanceLow: funds?.low ?? false,
      daysLeft: funds?.daysLeft ?? null,
    };
  }
}
