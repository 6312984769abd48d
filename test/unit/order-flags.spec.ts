/**
 * Anomaly flags from an order's history: each rule on the pattern it looks for, and silent on the
 * innocent twin of that pattern.
 */
import type { EventRecord, EventType } from '../../proof/record';
import { contactsOf, normaliseAddress, normalisePhone } from '../../server/flags/contact-blind-index';
import {
  compareDecimals,
  DEFAULT_FLAG_THRESHOLDS,
  evidenceKey,
  flagsOfHistory,
  HISTORY_RULE_TYPES,
  orderBurstFlag,
  orderValueOf,
  receiptAfterLinkReissueFlag,
  refundAfterReceiptFlag,
  trackingNumberOf,
} from '../../server/flags/order-flags';

const T0 = Date.parse('2026-11-20T08:00:00.000Z');
const MIN = 60_000;

/** An order's records from (type, minutes after T0 it happened, minutes after T0 it was recorded). */
function history(...events: [EventType, number, number?, Record<string, string>?][]): EventRecord[] {
  return events.map(([type, at, recorded, data], i) => ({
    v: 1,
    brand: 'acme',
    order: 'ord_FLAGS',
    seq: i + 1,
    type,
    at: new Date(T0 + at * MIN).toISOString(),
    recorded: new Date(T0 + (recorded ?? at) * MIN).toISOString(),
    data: data ?? {},
    sealed: {},
    prev: `0x${'00'.repeat(32)}`,
  }));
}

const rules = (records: EventRecord[]): string[] => flagsOfHistory(records).map((f) => f.rule);

describe('anomaly flags', () => {
  it('flags an event dated long before it was recorded, not one recorded a little late', () => {
    const backdated = flagsOfHistory(history(['created', 0], ['paid', 10], ['shipped', 20, 20 + 3 * 24 * 60]));
    expect(backdated).toEqual([expect.objectContaining({ rule: 'backdated', severity: 'warning', order: 'ord_FLAGS', seqs: [3] })]);
    expect(backdated[0].explanation.en).toMatch(/72 h before it was recorded/);
    expect(backdated[0].explanation['zh-CN']).toMatch(/72 小时/);
    expect(rules(history(['created', 0], ['paid', 10], ['shipped', 20, 20 + 60]))).toEqual([]);
  });

  it('flags an event dated before the one recorded ahead of it, beyond clock drift', () => {
    expect(flagsOfHistory(history(['created', 0], ['paid', 60], ['packed', 30]))).toEqual([
      expect.objectContaining({ rule: 'out_of_time_order', seqs: [2, 3] }),
    ]);
    // Half a minute of skew between two systems is no anomaly.
    expect(rules(history(['created', 0], ['paid', 60], ['packed', 59.5]))).toEqual([]);
  });

  it('flags a parcel delivered minutes after shipping, not one delivered the next day', () => {
    expect(flagsOfHistory(history(['created', 0], ['paid', 1], ['packed', 2], ['shipped', 3], ['delivered', 10]))).toEqual([
      expect.objectContaining({ rule: 'implausible_speed', severity: 'high', seqs: [4, 5] }),
    ]);
    expect(rules(history(['created', 0], ['paid', 1], ['packed', 2], ['shipped', 3], ['delivered', 3 + 20 * 60]))).toEqual([]);
    // The consumer's receipt counts as arriving too.
    expect(rules(history(['created', 0], ['paid', 1], ['packed', 2], ['shipped', 3], ['received', 5]))).toEqual(['implausible_speed']);
  });

  it('flags three address changes on one order, not two', () => {
    const twice = history(['created', 0], ['address_changed', 1], ['paid', 2], ['address_changed', 3]);
    expect(rules(twice)).toEqual([]);
    const thrice = history(['created', 0], ['address_changed', 1], ['paid', 2], ['address_changed', 3], ['address_changed', 4]);
    expect(flagsOfHistory(thrice)).toEqual([expect.objectContaining({ rule: 'repeated_address_changes', seqs: [2, 4, 5] })]);
  });

  it('reads a tracking number from the public data under its usual names', () => {
    expect(trackingNumberOf({ data: { carrier: 'DHL', trackingNo: ' JD0146 ' } })).toBe('JD0146');
    expect(trackingNumberOf({ data: { trackingNumber: 'SF1' } })).toBe('SF1');
    expect(trackingNumberOf({ data: { carrier: 'DHL' } })).toBeNull();
  });

  describe('receipt after the link was reissued', () => {
    const receivedAt = (minute: number, source = 'consumer'): EventRecord[] =>
      history(['created', 0], ['paid', 1], ['packed', 2], ['shipped', 3], ['received', minute, minute, { 'ordertrace:source': source }]);
    const at = (minute: number): Date => new Date(T0 + minute * MIN);

    it('flags a consumer receipt minutes after a reissue, not one long after it or with no reissue', () => {
      const [flag] = receiptAfterLinkReissueFlag(receivedAt(3000), [at(2990)]);
      expect(flag).toMatchObject({ rule: 'receipt_after_link_reissue', severity: 'high', seqs: [5] });
      expect(flag.explanation.en).toMatch(/10 min after the order's link was reissued/);
      expect(flag.explanation['zh-CN']).toMatch(/10 分钟/);
      expect(receiptAfterLinkReissueFlag(receivedAt(3000), [at(100)])).toEqual([]);
      expect(receiptAfterLinkReissueFlag(receivedAt(3000), [])).toEqual([]);
    });

    it('measures from the latest reissue before the receipt, and ignores one after it and receipts by the brand', () => {
      expect(receiptAfterLinkReissueFlag(receivedAt(3000), [at(100), at(2995)])).toHaveLength(1);
      expect(receiptAfterLinkReissueFlag(receivedAt(3000), [at(3001)])).toEqual([]);
      expect(receiptAfterLinkReissueFlag(receivedAt(3000, 'api:key'), [at(2995)])).toEqual([]);
    });

    it('follows the brand threshold', () => {
      const fiveMinutes = { ...DEFAULT_FLAG_THRESHOLDS, receiptAfterReissueMs: 5 * MIN };
      expect(receiptAfterLinkReissueFlag(receivedAt(3000), [at(2990)], fiveMinutes)).toEqual([]);
    });
  });

  describe('refund after receipt on a high-value order', () => {
    const refunded = (data: Record<string, string>): EventRecord[] =>
      history(['created', 0, 0, data], ['paid', 1], ['shipped', 2], ['received', 3000], ['refunded', 4000]);

    it('flags a refund after receipt of an order worth the threshold or more, not a cheaper one', () => {
      const records = refunded({ total: '1000.00', currency: 'EUR' });
      const [flag] = refundAfterReceiptFlag(records, orderValueOf(records, null));
      expect(flag).toMatchObject({ rule: 'refund_after_receipt_high_value', seqs: [4, 5] });
      expect(flag.explanation.en).toContain('worth 1000 EUR or more');
      const cheap = refunded({ total: '999.99', currency: 'EUR' });
      expect(refundAfterReceiptFlag(cheap, orderValueOf(cheap, null))).toEqual([]);
    });

    it('does not flag a refund before receipt, nor an order that states no value', () => {
      const early = history(['created', 0, 0, { amount: '5000' }], ['paid', 1], ['refunded', 2]);
      expect(refundAfterReceiptFlag(early, orderValueOf(early, null))).toEqual([]);
      const unknown = refunded({});
      expect(orderValueOf(unknown, null)).toBeNull();
      expect(refundAfterReceiptFlag(unknown, null)).toEqual([]);
    });

    it('adds up sealed line items exactly when the public data states no total', () => {
      const items = [
        { sku: 'A', quantity: 3, unitPrice: '333.33', currency: 'EUR' },
        { sku: 'B', quantity: 1, unitPrice: '0.01', currency: 'EUR' },
      ];
      expect(orderValueOf(refunded({}), items)).toEqual({ amount: '1000', currency: 'EUR' });
      expect(orderValueOf(refunded({}), [{ sku: 'A', quantity: 1, unitPrice: 12.5 }])).toBeNull();
      expect(compareDecimals('1000', '999.999999999999999999')).toBe(1);
      expect(compareDecimals('0.10', '0.1')).toBe(0);
    });

    it('follows the brand threshold', () => {
      const records = refunded({ total: '200' });
      expect(
        refundAfterReceiptFlag(records, orderValueOf(records, null), { ...DEFAULT_FLAG_THRESHOLDS, highValueAtLeast: '150' }),
      ).toHaveLength(1);
    });
  });

  describe('bursts of orders sharing a contact', () => {
    it('explains the burst without the shared value, and tells a phone burst from an address burst', () => {
      const flag = orderBurstFlag('ord_A', 1, 'phone', ['ord_B', 'ord_C']);
      expect(flag).toMatchObject({ rule: 'order_burst_same_contact', order: 'ord_A', seqs: [1] });
      expect(flag.explanation.en).toMatch(/^3 orders of the brand within 24 h share the phone number/);
      expect(flag.explanation['zh-CN']).toContain('电话号码');
      expect(evidenceKey(flag)).not.toBe(evidenceKey(orderBurstFlag('ord_A', 1, 'address', ['ord_B', 'ord_C'])));
    });

    it('normalises phone numbers and addresses so that the same one written otherwise compares equal', () => {
      expect(normalisePhone('+49 30 123-4567')).toBe(normalisePhone('0049 (30) 1234567'));
      expect(normalisePhone('030 1234567')).not.toBe(normalisePhone('+49 30 1234567'));
      expect(normalisePhone('12')).toBeNull();
      const a = normaliseAddress({ name: 'Jane', line1: 'Main Street 1', postalCode: '10115', city: 'Berlin', country: 'DE' });
      const b = normaliseAddress({ name: 'Joe', line1: 'MAIN  street 1.', postalCode: '10115', city: 'berlin', country: 'de' });
      expect(a).toBe(b);
      expect(a).not.toBe(normaliseAddress({ line1: 'Main Street 2', postalCode: '10115', city: 'Berlin', country: 'DE' }));
    });

    it('finds the phone and address among sealed fields under their usual names', () => {
      expect(
        contactsOf({ customer: { name: 'Jane', phone: '+49 30 1234567' }, shippingAddress: { line1: 'Main Street 1', city: 'Berlin' } }),
      ).toEqual([
        { kind: 'phone', value: '+49301234567' },
        { kind: 'address', value: 'main street 1 berlin' },
      ]);
      expect(contactsOf({ phone: '0049 30 1234567', note: 'x' })).toEqual([{ kind: 'phone', value: '+49301234567' }]);
      expect(contactsOf({ lineItems: [] })).toEqual([]);
    });
  });
});

describe('the part of a history the evaluator reads', () => {
  /** A small seeded generator, so that a failure can be reproduced. */
  function random(seed: number): () => number {
    let s = seed >>> 0;
    return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  }
  const key = (f: ReturnType<typeof flagsOfHistory>[number]): string => `${f.rule} ${evidenceKey(f)}`;

  it('raises every flag of the whole history that involves the new events, and nothing the whole history does not', () => {
    const next = random(20261130);
    const types: EventType[] = ['in_transit', 'in_transit', 'in_transit', 'paid', 'packed', ...(HISTORY_RULE_TYPES as EventType[])];
    let compared = 0;
    for (let round = 0; round < 500; round++) {
      const length = 2 + Math.floor(next() * 40);
      const records = history(
        ['created', 0],
        ...Array.from({ length: length - 1 }, (_, i): [EventType, number, number] => {
          // Mostly in order, now and then dated back (out of time order) or recorded days later (backdated).
          const at = 10 * (i + 1) - (next() < 0.1 ? 120 : 0);
          return [types[Math.floor(next() * types.length)], at, at + (next() < 0.1 ? 3 * 24 * 60 : 0)];
        }),
      );
      const fromSeq = Math.floor(next() * length);
      const newSeqs = new Set(records.filter((r) => r.seq > fromSeq).map((r) => r.seq));
      const part = records.filter((r) => r.seq >= fromSeq || HISTORY_RULE_TYPES.includes(r.type));
      const whole = new Set(flagsOfHistory(records).map(key));
      const fromPart = flagsOfHistory(part);
      for (const f of fromPart) expect(whole).toContain(key(f));
      const partKeys = new Set(fromPart.map(key));
      for (const f of flagsOfHistory(records).filter((f) => f.seqs.some((s) => newSeqs.has(s)))) {
        expect(partKeys).toContain(key(f));
        compared++;
      }
    }
    // The generated histories did raise flags on new events, so the comparison above was not empty.
    expect(compared).toBeGreaterThan(100);
  });
});
