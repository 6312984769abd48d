import { type EventRecord, SOURCE_DATA_KEY } from '../../proof/record';

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

export const FLAG_RULES = [
  'backdated',
  'out_of_time_order',
  'implausible_speed',
  'repeated_address_changes',
  'tracking_number_reused',
  'receipt_after_link_reissue',
  'refund_after_receipt_high_value',
  'order_burst_same_contact',
] as const;

export type FlagRule = (typeof FLAG_RULES)[number];

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
  /** A consumer's receipt sooner than this after the order's link was reissued. */
  receiptAfterReissueMs: number;
  /** A refund after receipt is flagged on orders worth at least this (decimal string, in the order's currency). */
  highValueAtLeast: string;
  /** This many of a brand's orders or more sharing a phone number or delivery address … */
  burstOrdersAtLeast: number;
  /** … recorded within this long of each other. */
  burstWindowMs: number;
}

export const DEFAULT_FLAG_THRESHOLDS: FlagThresholds = {
  backdatedAfterMs: 24 * 3600_000,
  timeOrderToleranceMs: 60_000,
  minShippingMs: 30 * 60_000,
  addressChangesAtLeast: 3,
  receiptAfterReissueMs: 30 * 60_000,
  highValueAtLeast: '1000',
  burstOrdersAtLeast: 5,
  burstWindowMs: 24 * 3600_000,
};

/**
 * What tells one flag of an order and rule from another: its evidence (and, for a burst, which
 * contact). A flag is raised once per evidence, however often its order is evaluated again.
 */
export function evidenceKey(flag: Pick<OrderFlag, 'seqs'> & { contact?: ContactKind }): string {
  return `${flag.contact === undefined ? '' : `${flag.contact}:`}${flag.seqs.join(',')}`;
}

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
 * The types of the earlier events that the rules of an order's own history look at, besides the
 * events being evaluated and the event just before each: no other event (a scan, mostly) can
 * change what they raise, so the evaluator does not read them.
 */
export const HISTORY_RULE_TYPES: readonly string[] = ['created', 'shipped', 'delivered', 'received', 'address_changed', 'refunded'];

/**
 * The flags an order's own history raises, its events in seq order. Rules that need other orders
 * (a tracking number on several of them) are added by the caller from the repository. Given only
 * part of the history (the events of HISTORY_RULE_TYPES, and some events each with the one before
 * it), it raises exactly the flags of the whole history that involve those events: two events are
 * compared for time order only when adjacent in seq.
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
    if (after.seq !== before.seq + 1) continue;
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

/** Which contact value a burst shares. */
export type ContactKind = 'phone' | 'address';

/** A consumer's receipt confirmed soon after the order's link was issued anew (the earlier link then stopped working). */
export function receiptAfterLinkReissueFlag(
  records: readonly EventRecord[],
  reissuedAt: readonly Date[],
  thresholds: FlagThresholds = DEFAULT_FLAG_THRESHOLDS,
): OrderFlag[] {
  const flags: OrderFlag[] = [];
  for (const r of records) {
    if (r.type !== 'received' || r.data[SOURCE_DATA_KEY] !== 'consumer') continue;
    const receivedAt = Date.parse(r.recorded);
    const latest = reissuedAt.map((d) => d.getTime()).filter((t) => t <= receivedAt);
    if (latest.length === 0) continue;
    const after = receivedAt - Math.max(...latest);
    if (after >= thresholds.receiptAfterReissueMs) continue;
    flags.push({
      rule: 'receipt_after_link_reissue',
      severity: 'high',
      order: r.order,
      seqs: [r.seq],
      explanation: {
        en: `The consumer confirmed receipt (seq ${r.seq}) ${minutes(after)} min after the order's link was reissued.`,
        'zh-CN': `消费者在订单链接重新签发后 ${minutes(after)} 分钟即确认收货（序号 ${r.seq}）。`,
      },
    });
  }
  return flags;
}

/**
 * A refund after the consumer's receipt on an order worth at least the threshold. `value` is the
 * order's value (orderValueOf), null when the order states none.
 */
export function refundAfterReceiptFlag(
  records: readonly EventRecord[],
  value: OrderValue | null,
  thresholds: FlagThresholds = DEFAULT_FLAG_THRESHOLDS,
): OrderFlag[] {
  if (value === null || compareDecimals(value.amount, thresholds.highValueAtLeast) < 0) return [];
  const received = records.find((r) => r.type === 'received');
  if (received === undefined) return [];
  const refunded = records.find((r) => r.type === 'refunded' && r.seq > received.seq);
  if (refunded === undefined) return [];
  // The threshold, not the value: a value summed from sealed line items is not for every reader of the flag.
  const bound = `${thresholds.highValueAtLeast}${value.currency === null ? '' : ` ${value.currency}`}`;
  return [
    {
      rule: 'refund_after_receipt_high_value',
      severity: 'warning',
      order: received.order,
      seqs: [received.seq, refunded.seq],
      explanation: {
        en: `The order, worth ${bound} or more, was refunded (seq ${refunded.seq}) after its receipt was confirmed (seq ${received.seq}).`,
        'zh-CN': `该订单价值不低于 ${bound}，在确认收货（序号 ${received.seq}）之后被退款（序号 ${refunded.seq}）。`,
      },
    },
  ];
}

/** The flag on one order of a burst: `others` are the brand's other orders sharing its contact value in the window. */
export function orderBurstFlag(
  order: string,
  seq: number,
  contact: ContactKind,
  others: readonly string[],
  thresholds: FlagThresholds = DEFAULT_FLAG_THRESHOLDS,
): OrderFlag & { contact: ContactKind } {
  const shown = others.slice(0, 5).join(', ') + (others.length > 5 ? ', …' : '');
  const what = contact === 'phone' ? { en: 'phone number', zh: '电话号码' } : { en: 'delivery address', zh: '收货地址' };
  return {
    rule: 'order_burst_same_contact',
    severity: 'warning',
    order,
    seqs: [seq],
    contact,
    explanation: {
      en: `${others.length + 1} orders of the brand within ${hours(thresholds.burstWindowMs)} h share the ${what.en} of this one (seq ${seq}); the others: ${shown}.`,
      'zh-CN': `该品牌 ${hours(thresholds.burstWindowMs)} 小时内有 ${others.length + 1} 个订单使用与本订单（序号 ${seq}）相同的${what.zh}；其他订单：${shown}。`,
    },
  };
}

/** An order's value: a decimal string and, when stated, its currency. */
export interface OrderValue {
  amount: string;
  currency: string | null;
}

/** Public fields of the `created` event that state the order's value, first found wins. */
export const ORDER_VALUE_FIELDS = ['total', 'amount'] as const;

const DECIMAL = /^(0|[1-9]\d{0,17})(\.\d{1,18})?$/;

/**
 * The order's value: the `created` event's public `total` or `amount` (a decimal string or a
 * number, with `currency` beside it), else the sum of the sealed `lineItems` (unitPrice × quantity,
 * as POST /v1/orders seals them; `sealedLineItems` is their opened value). Null when neither is there.
 */
export function orderValueOf(records: readonly EventRecord[], sealedLineItems: unknown): OrderValue | null {
  const created = records.find((r) => r.type === 'created');
  if (created !== undefined) {
    for (const field of ORDER_VALUE_FIELDS) {
      const raw = created.data[field];
      const amount = typeof raw === 'number' && Number.isFinite(raw) && raw >= 0 ? String(raw) : raw;
      if (typeof amount === 'string' && DECIMAL.test(amount)) {
        const currency = created.data.currency;
        return { amount, currency: typeof currency === 'string' ? currency : null };
      }
    }
  }
  if (!Array.isArray(sealedLineItems) || sealedLineItems.length === 0) return null;
  let total = 0n;
  let currency: string | null = null;
  for (const item of sealedLineItems as unknown[]) {
    const { unitPrice, quantity, currency: c } = (item ?? {}) as { unitPrice?: unknown; quantity?: unknown; currency?: unknown };
    if (typeof unitPrice !== 'string' || !DECIMAL.test(unitPrice) || typeof quantity !== 'number' || !Number.isInteger(quantity)) {
      return null;
    }
    total += scaled(unitPrice) * BigInt(quantity);
    if (typeof c === 'string') currency ??= c;
  }
  return { amount: unscaled(total), currency };
}

const SCALE = 18;

function scaled(decimal: string): bigint {
  const [whole, fraction = ''] = decimal.split('.');
  return BigInt(whole) * 10n ** BigInt(SCALE) + BigInt(fraction.padEnd(SCALE, '0'));
}

function unscaled(value: bigint): string {
  const unit = 10n ** BigInt(SCALE);
  const fraction = (value % unit).toString().padStart(SCALE, '0').replace(/0+$/, '');
  return `${value / unit}${fraction === '' ? '' : `.${fraction}`}`;
}

/** Compares two non-negative decimal strings exactly: negative, zero or positive. */
export function compareDecimals(a: string, b: string): number {
  const [x, y] = [scaled(a), scaled(b)];
  return x < y ? -1 : x > y ? 1 : 0;
}
