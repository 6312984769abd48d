import type { VerificationResult } from '../../proof/verify';
import { EVENT_TYPES } from '../../proof/record';
import { MESSAGES, pickLang } from '../../verifier-web/src/i18n';
import { parseRoute } from '../../verifier-web/src/route';
import { buildTimeline, countByStatus } from '../../verifier-web/src/timeline';

// The verifier page's pure logic: which page a URL is, which language to speak, and what the
// timeline shows for a bundle and its verification result.

const TOKEN = 'Zx3kP0_qv-9aB7cD2eF4gH6iJ8kL0mN2oP4qR6sT8uV';

describe('parseRoute', () => {
  const ORIGIN = 'https://verify.example.com';

  it('reads order, token and API from the fragment of a link, wherever the page is served', () => {
    const hash = `#o=ord_01JD8Z3Q4R5S6T7V8W9X0Y1Z2A&t=${TOKEN}&api=${encodeURIComponent('https://api.example.com/')}`;
    const order = { kind: 'order', orderId: 'ord_01JD8Z3Q4R5S6T7V8W9X0Y1Z2A', token: TOKEN, api: 'https://api.example.com' };
    expect(parseRoute('/', hash, ORIGIN)).toEqual(order);
    expect(parseRoute('/ipfs/bafy/index.html', hash, 'https://gateway.example')).toEqual(order);
    expect(parseRoute('/v/', hash, ORIGIN)).toEqual(order);
    // Without api, the page's own origin.
    expect(parseRoute('/v/', `#o=ord_1&t=${TOKEN}`, ORIGIN)).toEqual({ kind: 'order', orderId: 'ord_1', token: TOKEN, api: ORIGIN });
  });

  it('keeps links printed as /v/{orderId}#<token> working, against the page’s own origin', () => {
    expect(parseRoute('/v/ord_01JD8Z3Q4R5S6T7V8W9X0Y1Z2A', `#${TOKEN}`, ORIGIN)).toEqual({
      kind: 'order',
      orderId: 'ord_01JD8Z3Q4R5S6T7V8W9X0Y1Z2A',
      token: TOKEN,
      api: ORIGIN,
    });
  });

  it('shows the file verifier at the page root', () => {
    expect(parseRoute('/v/', '', ORIGIN)).toEqual({ kind: 'file', api: ORIGIN });
    expect(parseRoute('/v/index.html', '', ORIGIN)).toEqual({ kind: 'file', api: ORIGIN });
    expect(parseRoute('/', '', ORIGIN)).toEqual({ kind: 'file', api: ORIGIN });
  });

  it('treats a link without a usable token, order id or API as not valid, without asking the server', () => {
    expect(parseRoute('/v/ord_1', '', ORIGIN)).toEqual({ kind: 'invalid-link' });
    expect(parseRoute('/v/ord_1', '#short', ORIGIN)).toEqual({ kind: 'invalid-link' });
    expect(parseRoute('/v/ord_1', '#has spaces and more than sixteen', ORIGIN)).toEqual({ kind: 'invalid-link' });
    expect(parseRoute('/v/..%2Fadmin', `#${TOKEN}`, ORIGIN)).toEqual({ kind: 'invalid-link' });
    expect(parseRoute('/v/%E0%A4%A', `#${TOKEN}`, ORIGIN)).toEqual({ kind: 'invalid-link' });
    expect(parseRoute('/', `#o=ord_1&t=short`, ORIGIN)).toEqual({ kind: 'invalid-link' });
    expect(parseRoute('/', `#o=ord_1&t=${TOKEN}&api=javascript:alert(1)`, ORIGIN)).toEqual({ kind: 'invalid-link' });
    expect(parseRoute('/', `#o=ord_1&t=${TOKEN}&api=https://user:pw@x.example`, ORIGIN)).toEqual({ kind: 'invalid-link' });
    expect(parseRoute('/', `#t=${TOKEN}&api=https://x.example`, ORIGIN)).toEqual({ kind: 'invalid-link' });
  });
});

describe('pickLang', () => {
  it('follows the first browser language it speaks', () => {
    expect(pickLang(null, ['zh-CN', 'en'])).toBe('zh-CN');
    expect(pickLang(null, ['zh'])).toBe('zh-CN');
    expect(pickLang(null, ['fr-FR', 'zh-TW', 'en'])).toBe('zh-CN');
    expect(pickLang(null, ['de', 'en-GB', 'zh-CN'])).toBe('en');
    expect(pickLang(null, ['fr'])).toBe('en');
    expect(pickLang(null, [])).toBe('en');
  });

  it('prefers the language the reader switched to', () => {
    expect(pickLang('en', ['zh-CN'])).toBe('en');
    expect(pickLang('zh-CN', ['en-US'])).toBe('zh-CN');
    expect(pickLang('klingon', ['zh-CN'])).toBe('zh-CN');
  });
});

describe('messages', () => {
  it('names every event type in both languages, differently', () => {
    for (const type of EVENT_TYPES) {
      expect(MESSAGES.en.eventType[type]).toMatch(/^[A-Z]/);
      expect(MESSAGES['zh-CN'].eventType[type]).toMatch(/[\u4e00-\u9fff]/);
    }
  });
});

describe('buildTimeline', () => {
  const record = (seq: number, type: string, extra: Record<string, unknown> = {}) => ({
    v: 1,
    brand: 'acme',
    order: 'ord_1',
    seq,
    type,
    at: '2026-11-24T10:00:00.000Z',
    recorded: '2026-11-24T10:00:01.000Z',
    data: {},
    sealed: {},
    prev: '0x' + '0'.repeat(64),
    ...extra,
  });
  const anchor = {
    batch: 1,
    txHash: `0x${'a'.repeat(64)}` as const,
    blockNumber: 7,
    blockHash: `0x${'b'.repeat(64)}` as const,
    confirmations: 3,
    blockTime: 1_800_000_000,
  };
  const result = (events: VerificationResult['events'], verdict: VerificationResult['verdict']): VerificationResult => ({
    verdict,
    format: 'ordertrace-bundle/1',
    chainId: 31337,
    contract: '0x' + 'c'.repeat(40),
    order: 'ord_1',
    brand: 'acme',
    headBlock: 9,
    confirmationsRequired: 1,
    events,
  });

  it('shows public data, names sealed fields without values, and the anchoring read from the chain', () => {
    const bundle = {
      events: [
        {
          record: record(1, 'created', {
            data: { items: 2, note: 'gift' },
            sealed: { address: '0x' + '1'.repeat(64), phone: '0x' + '2'.repeat(64) },
          }),
        },
        { record: record(2, 'shipped', { data: { carrier: 'DHL' } }), disclosed: { address: { value: { city: 'Lyon' }, salt: '0x00' } } },
      ],
    };
    const rows = buildTimeline(
      bundle,
      result(
        [
          { index: 0, seq: 1, type: 'created', status: 'verified', anchor },
          { index: 1, seq: 2, type: 'shipped', status: 'pending', message: 'not yet anchored' },
        ],
        'pending',
      ),
    );
    expect(rows[0]).toMatchObject({
      seq: 1,
      type: 'created',
      at: '2026-11-24T10:00:00.000Z',
      data: [
        ['items', '2'],
        ['note', 'gift'],
      ],
      sealed: ['address', 'phone'],
      status: 'verified',
      anchor,
    });
    expect(JSON.stringify(rows[0])).not.toContain('1111111111');
    expect(rows[1]).toMatchObject({ status: 'pending', data: [['carrier', 'DHL']], disclosed: [['address', '{"city":"Lyon"}']] });
    expect(countByStatus(rows, 'pending')).toBe(1);
  });

  it('keeps each invalid event with its step and reason', () => {
    const rows = buildTimeline(
      { events: [{ record: record(1, 'created') }, { record: record(2, 'paid') }] },
      result(
        [
          { index: 0, seq: 1, type: 'created', status: 'verified', anchor },
          { index: 1, seq: 2, type: 'paid', status: 'invalid', step: 'leaf', code: 'LEAF_MISMATCH', message: 'the record hashes to 0x…' },
        ],
        'invalid',
      ),
    );
    expect(rows[1]).toMatchObject({ status: 'invalid', step: 'leaf', message: 'the record hashes to 0x…' });
    expect(rows[1].anchor).toBeUndefined();
  });

  it('survives a hostile bundle shape', () => {
    const rows = buildTimeline(
      { events: [null, { record: 'x' }, { record: { data: [1], sealed: 5 } }] },
      result(
        [0, 1, 2].map((index) => ({ index, seq: null, type: null, status: 'unchecked' as const })),
        'invalid',
      ),
    );
    expect(rows.map((r) => [r.seq, r.type, r.data, r.sealed])).toEqual([
      [null, null, [], []],
      [null, null, [], []],
      [null, null, [], []],
    ]);
  });
});
