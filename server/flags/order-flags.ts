import type { EventRecord } from '../../proof/record';

export type FlagSeverity = 'info' | 'warning' | 'high';

/** A pattern in an order's stored history worth a risk team's look; never a verdict on the order. */
export interface OrderFlag {
  rule: FlagRule;
  severity: FlagSeverity;
  order: string;
  /** The events that show it. */
  seqs: number[];
  explanation: { en: string; 'zh-CN': string };
}

export type FlagRule = 'backdated' | 'out_of_time_order' | 'implausible_speed' | 'repeated_address_changes' | 'tracking_number_reused';

/** When the rules fire; defaults chosen for parcel commerce. */
export interface FlagThresholds {
  /** An event whose business time lies this far before it was recorded is backdated. */
  backdatedAfterMs: number;
  /** Clocks drift: an event this much earlier than the one before it is still in order. */
  timeOrderToleranceMs: number;
  /** Delivered (or received) sooner than this after shipping is implausibly fast. */
  minShippingMs: number;
  /** This many address changes on one order or more. */
  addressChangesAtLeast: number;
}

export const DEFAULT_FLAG_THRESHOLDS: FlagThresholds = {
  backdatedAfterMs: 24 * 3600_000,
  timeOrderToleranceMs: 60_000,
  minShippingMs: 30 * 60_000,
  addressChangesAtLeast: 3,
};

/** Where an order's events carry a carrier tracking number in their public data. */
export const TRACKING_NUMBER_FIELDS = ['trackingNo', 'trackingNumber', 'tracking'] as const;

export function trackingNumberOf(record: Pick<EventRecord, 'data'>): string | null {
  for (const field of TRACKING_NUMBER_FIELDS) {
    const value = record.data[field];
    if (typeof value === 'string' && value.trim() !== '') return value.trim();
  }
  return null;
}

function hours(ms: number): string {
  return (ms / 3600_000).toFixed(ms < 36_000_000 ? 1 : 0);
}

function minutes(ms: number): string {
  return String(Math.round(ms / 60_000));
}

/**
 * The flags an order's own history raises, its events in seq order. Rules that need other orders
 * (a tracking number on several of them) are added by the caller from the repository.
 */
export function flagsOfHistory(records: readonly EventRecord[], thresholds: FlagThresholds = DEFAULT_FLAG_THRESHOLDS): OrderFlag[] {
  const flags: OrderFlag[] = [];
  if (records.length === 0) return flags;
  const order = records[0].order;
  const time = (iso: string): number => Date.parse(iso);

  for (const r of records) {
    const lag = time(r.recorded) - time(r.at);
    if (lag > thresholds.backdatedAfterMs) {
      flags.push({
        rule: 'backdated',
        severity: 'warning',
        order,
        seqs: [r.seq],
        explanation: {
          en: `The ${r.type} event (seq ${r.seq}) says it happened ${hours(lag)} h before it was recorded.`,
          'zh-CN': `“${r.type}”事件（序号 ${r.seq}）声称发生在记录时间之前 ${hours(lag)} 小时。`,
        },
      });
    }
  }

  for (let i = 1; i < records.length; i++) {
    const [before, after] = [records[i - 1], records[i]];
    const back = time(before.at) - time(after.at);
    if (back > thresholds.timeOrderToleranceMs) {
      flags.push({
        rule: 'out_of_time_order',
        severity: 'warning',
        order,
        seqs: [before.seq, after.seq],
        explanation: {
          en: `The ${after.type} event (seq ${after.seq}) is dated ${minutes(back)} min before the ${before.type} event recorded ahead of it (seq ${before.seq}).`,
          'zh-CN': `“${after.type}”事件（序号 ${after.seq}）的时间比其前面记录的“${before.type}”事件（序号 ${before.seq}）早 ${minutes(back)} 分钟。`,
        },
      });
    }
  }

  const shipped = records.find((r) => r.type === 'shipped');
  const arrived = records.find((r) => r.type === 'delivered' || r.type === 'received');
  if (shipped !== undefined && arrived !== undefined && arrived.seq > shipped.seq) {
    const took = time(arrived.at) - time(shipped.at);
    if (took >= 0 && took < thresholds.minShippingMs) {
      flags.push({
        rule: 'implausible_speed',
        severity: 'high',
        order,
        seqs: [shipped.seq, arrived.seq],
        explanation: {
          en: `The parcel was ${arrived.type} ${minutes(took)} min after it was shipped.`,
          'zh-CN': `包裹在发货后 ${minutes(took)} 分钟即显示${arrived.type === 'received' ? '已签收' : '已送达'}。`,
        },
      });
    }
  }

  const changes = records.filter((r) => r.type === 'address_changed');
  if (changes.length >= thresholds.addressChangesAtLeast) {
    flags.push({
      rule: 'repeated_address_changes',
      severity: 'warning',
      order,
      seqs: changes.map((r) => r.seq),
      explanation: {
        en: `The delivery address was changed ${changes.length} times.`,
        'zh-CN': `收货地址被修改了 ${changes.length} 次。`,
      },
    });
  }
  return flags;
}

/** The flag for a tracking number the brand's other orders carry too. */
export function trackingNumberReusedFlag(order: string, seq: number, trackingNo: string, otherOrders: readonly string[]): OrderFlag {
  const shown = otherOrders.slice(0, 5).join(', ') + (otherOrders.length > 5 ? ', …' : '');
  return {
    rule: 'tracking_number_reused',
    severity: 'high',
    order,
    seqs: [seq],
    explanation: {
      en: `Tracking number ${trackingNo} (seq ${seq}) is also on ${otherOrders.length} other order(s) of the brand: ${shown}.`,
      'zh-CN': `运单号 ${trackingNo}（序号 ${seq}）也出现在该品牌的另外 ${otherOrders.length} 个订单上：${shown}。`,
    },
  };
}
