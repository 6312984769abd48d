/**
 * Anomaly flags from an order's history: each rule on the pattern it looks for, and silent on the
 * innocent twin of that pattern.
 */
import type { EventRecord, EventType } from '../../proof/record';
import { flagsOfHistory, trackingNumberOf } from '../../server/flags/order-flags';

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
});
