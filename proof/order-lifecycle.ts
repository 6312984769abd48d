import type { EventType } from './record';

/**
 * The consumer's change requests and the brand's answers to them: recorded without changing the
 * state, and governed by the order's pending requests (change-requests.ts), not by this table.
 */
export const REQUEST_EVENT_TYPES = ['change_requested', 'hold_confirmed', 'change_declined'] as const satisfies readonly EventType[];
export type RequestEventType = (typeof REQUEST_EVENT_TYPES)[number];

export function isRequestEventType(type: string): type is RequestEventType {
  return (REQUEST_EVENT_TYPES as readonly string[]).includes(type);
}

/**
 * The order state machine of DESIGN.md as a plain table: for each state, the event types that
 * may follow. An order's state is the type of its last state-changing event; `address_changed`
 * is recorded without changing the state. `created` only ever starts an order. Pure, so that the
 * service enforcing it and the pages showing an order's progress read the same table.
 */
export type OrderStatus = Exclude<EventType, 'address_changed' | RequestEventType>;

export const ALLOWED_NEXT: Readonly<Record<OrderStatus, readonly Exclude<EventType, RequestEventType>[]>> = {
  created: ['paid', 'address_changed', 'cancelled'],
  paid: ['allocated', 'packed', 'address_changed', 'cancelled'],
  allocated: ['packed', 'address_changed', 'cancelled'],
  packed: ['shipped', 'address_changed', 'cancelled'],
  // Carriers report scans repeatedly and out of order; the parcel may also come back undelivered.
  shipped: ['in_transit', 'out_for_delivery', 'delivered', 'received', 'returned', 'address_changed'],
  in_transit: ['in_transit', 'out_for_delivery', 'delivered', 'received', 'returned', 'address_changed'],
  out_for_delivery: ['in_transit', 'out_for_delivery', 'delivered', 'received', 'returned'],
  // `received` is the consumer's own confirmation, possibly without a carrier `delivered` before it.
  delivered: ['received', 'return_requested'],
  received: ['return_requested'],
  return_requested: ['returned', 'refunded'],
  returned: ['refunded'],
  cancelled: ['refunded'],
  refunded: [],
};

export const ORDER_STATUSES = Object.keys(ALLOWED_NEXT) as OrderStatus[];

/**
 * Of the types that may follow a state, the one an order in it usually takes next: what a
 * consumer is told to expect. Null when nothing more is expected. Always one of ALLOWED_NEXT's.
 */
export const EXPECTED_NEXT = {
  created: 'paid',
  paid: 'packed',
  allocated: 'packed',
  packed: 'shipped',
  // Carrier scans are optional; the step that matters to the consumer is the delivery.
  shipped: 'delivered',
  in_transit: 'delivered',
  out_for_delivery: 'delivered',
  delivered: 'received',
  received: null,
  return_requested: 'returned',
  returned: 'refunded',
  cancelled: 'refunded',
  refunded: null,
} as const satisfies Readonly<Record<OrderStatus, EventType | null>>;

export type ExpectedStep = NonNullable<(typeof EXPECTED_NEXT)[OrderStatus]>;

export function isOrderStatus(x: string): x is OrderStatus {
  return Object.prototype.hasOwnProperty.call(ALLOWED_NEXT, x);
}

export function allowedNext(status: OrderStatus): readonly EventType[] {
  return ALLOWED_NEXT[status];
}

export type TransitionResult = { allowed: true; nextStatus: OrderStatus } | { allowed: false; allowedTypes: readonly EventType[] };

/** Whether `type` may follow `status`, and the state it leads to. Request types are left to change-requests.ts. */
export function transition(status: OrderStatus, type: EventType): TransitionResult {
  if (isRequestEventType(type)) return { allowed: true, nextStatus: status };
  const allowedTypes = ALLOWED_NEXT[status];
  if (!allowedTypes.includes(type)) return { allowed: false, allowedTypes };
  return { allowed: true, nextStatus: type === 'address_changed' ? status : type };
}

/** States in which a consumer may still ask for a change: before the parcel is shipped. */
export const REQUESTS_OPEN_IN: readonly OrderStatus[] = ['created', 'paid', 'allocated', 'packed'];
/** The state an order is in after events of these types, in order; null before any state-changing one. */
export function statusAfter(types: readonly (string | null)[]): OrderStatus | null {
  for (let i = types.length - 1; i >= 0; i--) {
    const type = types[i];
    if (type !== null && isOrderStatus(type)) return type;
  }
  return null;
}

/** What an order with events of these types is expected to do next; null when done or unknown. */
export function expectedNext(types: readonly (string | null)[]): ExpectedStep | null {
  const status = statusAfter(types);
  if (status === null) return null;
  // An order cancelled before it was paid has nothing to refund.
  if (status === 'cancelled' && !types.includes('paid')) return null;
  return EXPECTED_NEXT[status];
}
