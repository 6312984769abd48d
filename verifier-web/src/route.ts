/**
 * Where the page is. A consumer link is `<page>#o=<orderId>&t=<token>&api=<API base URL>`, so the
 * page may be served from any origin and still find the ordertrace API; links printed earlier as
 * `/v/{orderId}#<token>` name the page's own origin as the API. Anything else is the file verifier.
 * The token lives in the fragment so that it never reaches a server log.
 */
export type Route =
  { kind: 'order'; orderId: string; token: string; api: string } | { kind: 'invalid-link' } | { kind: 'file'; api: string | null };

const ORDER_ID_RE = /^[A-Za-z0-9_-]{1,100}$/;
const TOKEN_RE = /^[A-Za-z0-9_-]{16,200}$/;

/** An http(s) base URL without a trailing slash, or null. */
function apiBase(value: string): string | null {
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') return null;
    return url.href.replace(/\/+$/, '');
  } catch {
    return null;
  }
}

/** `origin`: the page's own, the API of links that do not name one. */
export function parseRoute(pathname: string, hash: string, origin: string): Route {
  const fragment = hash.startsWith('#') ? hash.slice(1) : hash;
  if (fragment.includes('=')) {
    const params = new URLSearchParams(fragment);
    const orderId = params.get('o');
    const token = params.get('t');
    const api = params.get('api');
    const base = api === null ? apiBase(origin) : apiBase(api);
    if (orderId === null && token === null) return { kind: 'file', api: base };
    if (orderId === null || token === null || base === null || !ORDER_ID_RE.test(orderId) || !TOKEN_RE.test(token)) {
      return { kind: 'invalid-link' };
    }
    return { kind: 'order', orderId, token, api: base };
  }
  const segment = pathname.replace(/\/+$/, '').split('/').pop() ?? '';
  // A path ending in a slash is the page's folder: /v/, or wherever a brand serves its build.
  if (pathname.endsWith('/') || segment === '' || segment.endsWith('.html')) return { kind: 'file', api: apiBase(origin) };
  let orderId: string;
  try {
    orderId = decodeURIComponent(segment);
  } catch {
    return { kind: 'invalid-link' };
  }
  const base = apiBase(origin);
  if (!ORDER_ID_RE.test(orderId) || !TOKEN_RE.test(fragment) || base === null) return { kind: 'invalid-link' };
  return { kind: 'order', orderId, token: fragment, api: base };
}
