import { EVENT_TYPES } from '../../proof/record';
import { formatTime, LANGS, MESSAGES, pickLang } from '../../verifier-web/src/i18n';
import { parseRoute } from '../../verifier-web/src/route';

// The verifier page's pure logic: which page a URL is and which language to speak. What its
// timeline shows is the bundle view's (bundle-view.spec.ts).

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

describe('formatTime', () => {
  it('writes times as Intl medium date and time styles do, in either language', () => {
    const times = ['2026-11-29T23:29:42.000Z', '2026-01-05T00:03:09.000Z', '2026-07-01T12:00:00.000Z', '2027-03-31T11:59:59.999Z'];
    for (const lang of LANGS) {
      const intl = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'medium' });
      // ICU versions differ in the space before AM/PM (U+202F or a plain space).
      for (const t of times) expect([lang, formatTime(lang, t)]).toEqual([lang, intl.format(new Date(t)).replace(/\u202f/g, ' ')]);
    }
  });

  it('shows what is no time as it is', () => {
    expect(formatTime('en', 'yesterday')).toBe('yesterday');
  });
});
