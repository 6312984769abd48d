/**
 * The console's calls to the ordertrace API on its own origin, with the brand key the user typed
 * in, sent as a header on each request (no cookie, nothing stored). Bodies are checked for the
 * shape the console reads; anything else is a failure with a detail to show.
 */
import { problemDetail } from '../public-api';
export type ApiOutcome<T> =
  { kind: 'ok'; value: T } | { kind: 'unauthorized' } | { kind: 'forbidden' } | { kind: 'not-found' } | { kind: 'failed'; detail: string };

export interface Stats {
  from: string;
  to: string;
  tz: string;
  ordersPerDay: { date: string; orders: number }[];
  funnel: { stage: string; orders: number }[];
  paidToDelivered: { orders: number; medianSeconds: number | null; p95Seconds: number | null };
  onTime: { promised: number; onTime: number; share: number | null };
  anchoring: { enabled: boolean; lagSeconds: number | null; balance: string | null; balanceLow: boolean; daysLeft: number | null };
}

export interface OrderSummary {
  id: string;
  reference: string;
  status: string;
  createdAt: string;
}

export interface OrderPage {
  items: OrderSummary[];
  nextCursor: string | null;
}

export interface Flag {
  id: string;
  rule: string;
  severity: string;
  order: string;
  explanation: Record<string, string>;
  raisedAt: string;
}

export interface FlagPage {
  items: Flag[];
  next: string | null;
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

function isStats(x: unknown): x is Stats {
  return (
    isObject(x) &&
    Array.isArray(x.ordersPerDay) &&
    Array.isArray(x.funnel) &&
    isObject(x.paidToDelivered) &&
    isObject(x.onTime) &&
    isObject(x.anchoring) &&
    typeof x.tz === 'string'
  );
}

function isOrderPage(x: unknown): x is OrderPage {
  return (
    isObject(x) &&
    Array.isArray(x.items) &&
    x.items.every((o) => isObject(o) && typeof o.id === 'string' && typeof o.reference === 'string' && typeof o.status === 'string')
  );
}

function isFlagPage(x: unknown): x is FlagPage {
  return isObject(x) && Array.isArray(x.items) && x.items.every((f) => isObject(f) && typeof f.order === 'string');
}

const isAnything = (x: unknown): x is unknown => x !== undefined;

export class ConsoleApi {
  constructor(
    /** The brand key; held by this object only, for as long as the tab lives. */
    private readonly key: string,
  ) {}

  private async get<T>(path: string, accept: (body: unknown) => body is T): Promise<ApiOutcome<T>> {
    let response: Response;
    try {
      response = await fetch(path, {
        headers: { authorization: `Bearer ${this.key}`, accept: 'application/json' },
        cache: 'no-store',
        credentials: 'omit',
      });
    } catch (err) {
      return { kind: 'failed', detail: String((err as Error)?.message ?? err) };
    }
    if (response.status === 401) return { kind: 'unauthorized' };
    if (response.status === 403) return { kind: 'forbidden' };
    if (response.status === 404) return { kind: 'not-found' };
    if (!response.ok) return { kind: 'failed', detail: await problemDetail(response) };
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      return { kind: 'failed', detail: 'the server answered something other than JSON' };
    }
    return accept(body) ? { kind: 'ok', value: body } : { kind: 'failed', detail: 'unexpected answer from the server' };
  }

  stats(range: { from?: string; to?: string; tz: string }): Promise<ApiOutcome<Stats>> {
    const q = new URLSearchParams({ tz: range.tz });
    if (range.from) q.set('from', range.from);
    if (range.to) q.set('to', range.to);
    return this.get(`/v1/stats?${q.toString()}`, isStats);
  }

  orders(filter: { referencePrefix: string; status: string; cursor: string | null }): Promise<ApiOutcome<OrderPage>> {
    const q = new URLSearchParams({ limit: '20' });
    if (filter.referencePrefix !== '') q.set('referencePrefix', filter.referencePrefix);
    if (filter.status !== '') q.set('status', filter.status);
    if (filter.cursor !== null) q.set('cursor', filter.cursor);
    return this.get(`/v1/orders?${q.toString()}`, isOrderPage);
  }

  /** The brand's open flags; a service without the flags route answers 404, which the console shows as "—". */
  flags(): Promise<ApiOutcome<FlagPage>> {
    return this.get('/v1/flags?limit=100', isFlagPage);
  }

  bundle(orderId: string): Promise<ApiOutcome<unknown>> {
    return this.get(`/v1/orders/${encodeURIComponent(orderId)}/bundle`, isAnything);
  }
}
