import type { EventType } from '../../proof/record';

/**
 * The order state machine of DESIGN.md as a plain table: for each state, the event types that
 * may follow. An order's state is the type of its last state-changing event; `address_changed`
 * is recorded without changing the state. `created` only ever starts an order.
 */
export type OrderStatus = Exclude<EventType, 'address_changed'>;

export const ALLOWED_NEXT: Readonly<Record<OrderStatus, readonly EventType[]>> = {
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

export function isOrderStatus(x: string): x is OrderStatus {
  return Object.prototype.hasOwnProperty.call(ALLOWED_NEXT, x);
}

export function allowedNext(status: OrderStatus): readonly EventType[] {
  return ALLOWED_NEXT[status];
}

export type TransitionResult = { allowed: true; nextStatus: OrderStatus } | { allowed: false; allowedTypes: readonly EventType[] };

/** Whether `type` may follow `status`, and the state it leads to. */
export function transition(status: OrderStatus, type: EventType): TransitionResult {
  const allowedTypes = ALLOWED_NEXT[status];
  if (!allowedTypes.includes(type)) return { allowed: false, allowedTypes };
  return { allowed: true, nextStatus: type === 'address_changed' ? status : type };
}
