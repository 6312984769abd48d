/**
 * Event times: RFC 3339 with an offset, read from their parts, never rolled over by Date's parser.
 */
import { parseRfc3339, readRfc3339 } from '../../server/orders/event-fields.validation';
import { decodeOrderCursor } from '../../server/orders/order-cursor';

describe('readRfc3339', () => {
  it.each([
    ['2026-02-30T00:00:00Z', /not a date of the calendar/],
    ['2025-02-29T00:00:00Z', /not a date of the calendar/],
    ['2100-02-29T00:00:00Z', /not a date of the calendar/],
    ['2026-04-31T10:00:00Z', /not a date of the calendar/],
    ['2026-13-01T10:00:00Z', /not a date of the calendar/],
    ['2026-00-10T10:00:00Z', /not a date of the calendar/],
    ['2026-06-30T23:59:60Z', /leap second/],
    ['2026-06-30T24:00:00Z', /hour 24/],
    ['2026-06-30T23:60:00Z', /not a time of day/],
    ['2026-06-30T10:00:00.1234Z', /finer than milliseconds/],
    ['2026-06-30T10:00:00+24:00', /UTC offset/],
    ['2026-06-30T10:00:00', /RFC 3339 time with a UTC offset/],
    ['2026-06-30 10:00:00Z', /RFC 3339 time with a UTC offset/],
  ])('refuses %s, saying why', (text, why) => {
    const read = readRfc3339(text);
    expect('problem' in read && read.problem).toMatch(why);
  });

  it.each([
    ['2024-02-29T12:00:00Z', '2024-02-29T12:00:00.000Z'],
    ['2000-02-29T00:00:00.5+01:00', '2000-02-28T23:00:00.500Z'],
    ['2026-12-31T23:59:59.999000000-00:30', '2027-01-01T00:29:59.999Z'],
    ['2026-01-01t00:00:00z', '2026-01-01T00:00:00.000Z'],
    ['0099-01-01T00:00:00Z', '0099-01-01T00:00:00.000Z'],
  ])('reads %s as the instant it names', (text, iso) => {
    expect(parseRfc3339(text)?.toISOString()).toBe(iso);
  });

  it('agrees with Date on every valid time it reads', () => {
    for (let ms = Date.UTC(2023, 0, 1); ms < Date.UTC(2025, 0, 1); ms += 86_400_000 * 0.77) {
      const iso = new Date(Math.floor(ms)).toISOString();
      expect(parseRfc3339(iso)?.getTime()).toBe(Math.floor(ms));
    }
  });
});

describe('order cursors', () => {
  it('refuses a cursor with an impossible date instead of rolling it over', () => {
    const cursor = Buffer.from(JSON.stringify(['2026-02-30T00:00:00.000Z', 'ord_01JD3ZK7Q9T4W8X2B5N6M0P1RS'])).toString('base64url');
    expect(() => decodeOrderCursor(cursor)).toThrow(/not a cursor/);
  });
});
