/**
 * The page's calls to ordertrace's public endpoints, on the API the link names (any origin: /public
 * answers CORS without credentials). Only data comes from here; whether that data is true is
 * decided by the proof core against the chain and contract of the page's own trust anchors, never
 * by these answers.
 */
import { fetchRequest, type PageRequest } from './early-requests';

export interface PublicChain {
  chainId: number;
  contract: string;
  rpcUrl: string;
}

export interface PublicOrder {
  bundle: unknown;
  brandName: string;
  chain: PublicChain;
  receipt: { allowed: boolean };
  /** Whether the order still takes change requests; absent from servers older than requests. */
  requests?: { allowed: boolean };
}

/** A consumer's change request: a new delivery address (sent sealed) or a hold. */
export type ChangeRequestBody = { type: 'address'; sealed: { address: string } } | { type: 'hold' };

export type Outcome<T> =
  | { kind: 'ok'; value: T }
  | { kind: 'not-found' }
  | { kind: 'conflict'; detail: string }
  | { kind: 'rate-limited' }
  | { kind: 'failed'; detail: string };

const TOKEN_HEADER = 'X-Order-Token';

function isChain(x: unknown): x is PublicChain {
  const c = x as PublicChain | null;
  return (
    typeof c === 'object' && c !== null && typeof c.chainId === 'number' && typeof c.contract === 'string' && typeof c.rpcUrl === 'string'
  );
}

function isPublicOrder(x: unknown): x is PublicOrder {
  const o = x as PublicOrder | null;
  return (
    typeof o === 'object' &&
    o !== null &&
    typeof o.bundle === 'object' &&
    o.bundle !== null &&
    typeof o.brandName === 'string' &&
    isChain(o.chain) &&
    typeof o.receipt === 'object' &&
    o.receipt !== null &&
    typeof o.receipt.allowed === 'boolean'
  );
}

/** What a refusal says: its problem's detail or title, else the HTTP status. */
export async function problemDetail(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { detail?: unknown; title?: unknown };
    if (typeof body.detail === 'string') return body.detail;
    if (typeof body.title === 'string') return body.title;
  } catch {
    // not a problem document
  }
  return `HTTP ${response.status}`;
}

/** A call to the public API: never cached, never with credentials. */
function apiRequest(url: string, init: RequestInit): PageRequest {
  return { url, init: { ...init, cache: 'no-store', credentials: 'omit' } };
}

/** `accept` validates the JSON body; null means the body does not matter (and may be empty). */

async function request<T>(call: PageRequest, accept: ((body: unknown) => body is T) | null): Promise<Outcome<T>> {
  let response: Response;
  try {
    response = await fetchRequest(call);
  } catch (err) {
    return { kind: 'failed', detail: String((err as Error)?.message ?? err) };
  }
  if (response.status === 404) return { kind: 'not-found' };
  if (response.status === 409) return { kind: 'conflict', detail: await problemDetail(response) };
  if (response.status === 429) return { kind: 'rate-limited' };
  if (!response.ok) return { kind: 'failed', detail: await problemDetail(response) };
  if (accept === null) return { kind: 'ok', value: undefined as T };
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    return { kind: 'failed', detail: 'the server answered something other than JSON' };
  }
  return accept(body) ? { kind: 'ok', value: body } : { kind: 'failed', detail: 'unexpected answer from the server' };
}

function orderUrl(api: string, orderId: string, suffix = ''): string {
  return `${api}/public/orders/${encodeURIComponent(orderId)}${suffix}`;
}

export function publicOrderRequest(api: string, orderId: string, token: string): PageRequest {
  return apiRequest(orderUrl(api, orderId), { headers: { [TOKEN_HEADER]: token, accept: 'application/json' } });
}

export function fetchPublicOrder(api: string, orderId: string, token: string): Promise<Outcome<PublicOrder>> {
  return request(publicOrderRequest(api, orderId, token), isPublicOrder);
}

export function confirmReceipt(api: string, orderId: string, token: string): Promise<Outcome<void>> {
  return request<void>(
    apiRequest(orderUrl(api, orderId, '/receipt'), { method: 'POST', headers: { [TOKEN_HEADER]: token, accept: 'application/json' } }),
    null,
  );
}

export function requestChange(api: string, orderId: string, token: string, body: ChangeRequestBody): Promise<Outcome<void>> {
  return request<void>(
    apiRequest(orderUrl(api, orderId, '/requests'), {
      method: 'POST',
      headers: { [TOKEN_HEADER]: token, accept: 'application/json', 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }),
    null,
  );
}
