/**
 * Where the page is: `/v/{orderId}#<token>` is a consumer link, anything else under /v/ is the
 * file verifier. The token lives in the fragment so that it never reaches a server log.
 */
export type Route = { kind: 'order'; orderId: string; token: string } | { kind: 'invalid-link' } | { kind: 'file' };

const ORDER_ID_RE = /^[A-Za-z0-9_-]{1,100}$/;
const TOKEN_RE = /^[A-Za-z0-9_-]{16,200}$/;

export function parseRoute(pathname: string, hash: string, base = '/v/'): Route {
  const rest = pathname.startsWith(base) ? pathname.slice(base.length) : '';
  const segment = rest.replace(/\/+$/, '');
  if (segment === '' || segment === 'index.html') return { kind: 'file' };
  let orderId: string;
  try {
    orderId = decodeURIComponent(segment);
  } catch {
    return { kind: 'invalid-link' };
  }
  const token = hash.startsWith('#') ? hash.slice(1) : hash;
  if (!ORDER_ID_RE.test(orderId) || !TOKEN_RE.test(token)) return { kind: 'invalid-link' };
  return { kind: 'order', orderId, token };
}
