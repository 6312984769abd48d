import { assertBundle, assertEventRecord, type EventRecord, GENESIS_PREV, leafHash, ProofError } from '../../proof';

const record = (): EventRecord => ({
  v: 1,
  brand: 'acme',
  order: 'ord_1',
  seq: 1,
  type: 'created',
  at: '2026-11-24T10:15:00.000Z',
  recorded: '2026-11-24T10:15:02.113Z',
  data: {},
  sealed: {},
  prev: GENESIS_PREV,
});

function fieldOf(fn: () => void): string | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof ProofError) return e.field;
    throw e;
  }
  return undefined;
}

describe('assertEventRecord', () => {
  it('accepts a well-formed record', () => {
    expect(() => assertEventRecord(record())).not.toThrow();
  });

  it.each([
    [
      'an extra key',
      (r: Record<string, unknown>) => {
        r.extra = 1;
      },
      'record.extra',
    ],
    [
      'a missing key',
      (r: Record<string, unknown>) => {
        delete r.prev;
      },
      'record.prev',
    ],
    [
      'v 2',
      (r: Record<string, unknown>) => {
        r.v = 2;
      },
      'record.v',
    ],
    [
      'seq 0',
      (r: Record<string, unknown>) => {
        r.seq = 0;
      },
      'record.seq',
    ],
    [
      'a fractional seq',
      (r: Record<string, unknown>) => {
        r.seq = 1.5;
      },
      'record.seq',
    ],
    [
      'an unknown type',
      (r: Record<string, unknown>) => {
        r.type = 'teleported';
      },
      'record.type',
    ],
    [
      'a time without milliseconds',
      (r: Record<string, unknown>) => {
        r.at = '2026-11-24T10:15:00Z';
      },
      'record.at',
    ],
    [
      'a time with an offset',
      (r: Record<string, unknown>) => {
        r.recorded = '2026-11-24T10:15:00.000+01:00';
      },
      'record.recorded',
    ],
    [
      'an impossible date',
      (r: Record<string, unknown>) => {
        r.at = '2026-02-30T10:15:00.000Z';
      },
      'record.at',
    ],
    [
      'an uppercase commitment',
      (r: Record<string, unknown>) => {
        r.sealed = { a: `0x${'A'.repeat(64)}` };
      },
      'record.sealed.a',
    ],
    [
      'data as an array',
      (r: Record<string, unknown>) => {
        r.data = [];
      },
      'record.data',
    ],
    [
      'a short prev',
      (r: Record<string, unknown>) => {
        r.prev = '0x00';
      },
      'record.prev',
    ],
  ])('rejects %s naming the field', (_what, mutate, field) => {
    const r = record() as unknown as Record<string, unknown>;
    mutate(r);
    expect(fieldOf(() => assertEventRecord(r))).toBe(field);
  });

  it('gives a leaf that changes with any field', () => {
    const base = leafHash(record());
    expect(leafHash({ ...record(), seq: 2 })).not.toBe(base);
    expect(leafHash({ ...record(), data: { a: 1 } })).not.toBe(base);
    expect(leafHash(record())).toBe(base);
  });
});

describe('assertBundle', () => {
  it('collects every bad field of a hostile bundle in one error', () => {
    let error: ProofError | undefined;
    try {
      assertBundle({ format: 'x', chain: { chainId: -1, contract: 'nope' }, order: 5, events: [{ leaf: 1, anchor: { proof: 'x' } }] });
    } catch (e) {
      error = e as ProofError;
    }
    expect(error?.code).toBe('MALFORMED_BUNDLE');
    expect(error?.problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('format'),
        expect.stringContaining('chain.chainId'),
        expect.stringContaining('chain.contract'),
        expect.stringContaining('order'),
        expect.stringContaining('events[0].record'),
        expect.stringContaining('events[0].anchor.proof'),
      ]),
    );
  });

  it('refuses a bundle with too many events without walking them', () => {
    expect(() =>
      assertBundle({
        format: 'ordertrace-bundle/1',
        chain: { chainId: 1, contract: `0x${'1'.repeat(40)}` },
        order: 'o',
        brand: 'b',
        events: new Array(100_001).fill(0),
      }),
    ).toThrow(/more than 100000/);
  });
});
