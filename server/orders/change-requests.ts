import type { JsonValue } from '../../proof/canonical';
import { CHANGE_REQUEST_KINDS, type ChangeRequestKind, type EventType, REQUEST_DATA_KEY } from '../../proof/record';
import { DomainError, ErrorCode, invalidField } from '../errors/domain-error';
import { type OrderStatus, REQUESTS_OPEN_IN } from '../../proof/order-lifecycle';

/** A consumer's change request the brand has not answered yet, kept on the order's head. */
export interface PendingRequest {
  seq: number;
  request: ChangeRequestKind;
}

/** What the rules read of an order: its state and its unanswered requests. */
export interface RequestsHead {
  id: string;
  status: OrderStatus;
  pendingRequests: readonly PendingRequest[];
}

/** The part of an event the rules read. */
export interface RequestsEvent {
  type: EventType;
  source: string;
  data: { [key: string]: JsonValue };
}

/** Which answer approves which request: a hold is confirmed, an address is changed. */
const APPROVAL_OF: Readonly<Record<ChangeRequestKind, EventType>> = { address: 'address_changed', hold: 'hold_confirmed' };

/**
 * The order's pending requests once `event` (its seq `seq`) is recorded, or the DomainError
 * refusing it: a consumer asks before shipping, at most one pending request of each kind; a
 * pending hold blocks `shipped`; an answer names a pending request of its order by seq. Checked
 * by the planner on the head locked for the group, so no history is read.
 */
export function pendingRequestsAfter(head: RequestsHead, event: RequestsEvent, seq: number): readonly PendingRequest[] {
  switch (event.type) {
    case 'change_requested':
      return [...head.pendingRequests, { seq, request: requestOf(head, event) }];
    case 'shipped': {
      const hold = head.pendingRequests.find((p) => p.request === 'hold');
      if (hold !== undefined) {
        throw new DomainError(
          ErrorCode.HOLD_PENDING,
          `The consumer asked to hold order ${head.id} (seq ${hold.seq}); answer with hold_confirmed or change_declined before shipping`,
          { pendingRequest: hold.seq, field: 'type' },
        );
      }
      return head.pendingRequests;
    }
    case 'address_changed':
      // Without `request` it is the brand's own change, as before requests existed.
      if (!Object.prototype.hasOwnProperty.call(event.data, REQUEST_DATA_KEY)) return head.pendingRequests;
      return answered(head, event);
    case 'hold_confirmed':
    case 'change_declined':
      return answered(head, event);
    default:
      return head.pendingRequests;
  }
}

function requestOf(head: RequestsHead, event: RequestsEvent): ChangeRequestKind {
  if (event.source !== 'consumer') {
    throw invalidField('type', "change_requested is recorded from the consumer's page only (POST /public/orders/{id}/requests)");
  }
  const request = event.data[REQUEST_DATA_KEY];
  if (typeof request !== 'string' || !(CHANGE_REQUEST_KINDS as readonly string[]).includes(request)) {
    throw invalidField(`data.${REQUEST_DATA_KEY}`, `must be one of ${CHANGE_REQUEST_KINDS.join(', ')}`);
  }
  const kind = request as ChangeRequestKind;
  if (!REQUESTS_OPEN_IN.includes(head.status)) {
    throw new DomainError(
      ErrorCode.CHANGE_REQUESTS_CLOSED,
      head.status === 'cancelled'
        ? `Order ${head.id} is cancelled: it takes no change requests`
        : `Order ${head.id} is ${head.status}: changes can only be asked for before it is shipped; contact the shop`,
      { currentState: head.status },
    );
  }
  const same = head.pendingRequests.find((p) => p.request === kind);
  if (same !== undefined) {
    throw new DomainError(ErrorCode.CHANGE_REQUEST_PENDING, `Order ${head.id} already has a pending ${kind} request (seq ${same.seq})`, {
      pendingRequest: same.seq,
    });
  }
  return kind;
}

function answered(head: RequestsHead, event: RequestsEvent): readonly PendingRequest[] {
  const field = `data.${REQUEST_DATA_KEY}`;
  const seq = event.data[REQUEST_DATA_KEY];
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 1) {
    throw invalidField(field, 'must be the seq (an integer) of the change_requested event this answers');
  }
  const pending = head.pendingRequests.find((p) => p.seq === seq);
  if (pending === undefined) {
    throw new DomainError(ErrorCode.CHANGE_REQUEST_NOT_PENDING, `Seq ${seq} of order ${head.id} is not a pending change request`, {
      field,
      pendingRequests: head.pendingRequests.map((p) => p.seq),
    });
  }
  if (event.type !== 'change_declined' && APPROVAL_OF[pending.request] !== event.type) {
    throw invalidField(field, `names a ${pending.request} request, which ${APPROVAL_OF[pending.request]} approves, not ${event.type}`);
  }
  return head.pendingRequests.filter((p) => p.seq !== seq);
}
