import { EVENT_TYPES } from '../../proof/record';
import { MESSAGES, pickLang } from '../../verifier-web/src/i18n';
import { parseRoute } from '../../verifier-web/src/route';

// The verifier page's pure logic: which page a URL is and which language to speak. What its
// timeline shows is the bundle view's (bundle-view.spec.ts).

const TOKEN = 'Zx3kP0_qv-9aB7cD2eF4gH6iJ8kL0mN2oP4qR6sT8uV';

describe('parseRoute', () => {
  it('reads the order id from the path and the token from the fragment', () => {
    expect(parseRoute('/v/ord_01JD8Z3Q4R5S6T7V8W9X0Y1Z2A', `#${TOKEN}`)).toEqual({
      kind: 'order',
      orderId: 'ord_01JD8Z3Q4R5S6T7V8W9X0Y1Z2A',
      token: TOKEN,
    });
  });

  it('shows the file verifier at the page root', () => {
    expect(parseRoute('/v/', '')).toEqual({ kind: 'file' });
    expect(parseRoute('/v/index.html', '')).toEqual({ kind: 'file' });
  });

  it('treats a link without a usable token or order id as not valid, without asking the server', () => {
    expect(parseRoute('/v/ord_1', '')).toEqual({ kind: 'invalid-link' });
    expect(parseRoute('/v/ord_1', '#short')).toEqual({ kind: 'invalid-link' });
    expect(parseRoute('/v/ord_1', '#has spaces and more than sixteen')).toEqual({ kind: 'invalid-link' });
    expect(parseRoute('/v/..%2Fadmin', `#${TOKEN}`)).toEqual({ kind: 'invalid-link' });
    expect(parseRoute('/v/%E0%A4%A', `#${TOKEN}`)).toEqual({ kind: 'invalid-link' });
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
