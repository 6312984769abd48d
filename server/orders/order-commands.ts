import type { Hex } from '../../proof/bytes';
import type { JsonValue } from '../../proof/canonical';
import { type EventRecord, type EventType, SOURCE_DATA_KEY } from '../../proof/record';
import { DomainError, ErrorCode, invalidField } from '../errors/domain-error';
import { type BuiltEvent, buildEvent } from './event-builder';
import { newOrderId } from './order-id';
import { isOrderStatus, type OrderStatus, transition } from '../../proof/order-lifecycle';
import { type PendingRequest, pendingRequestsAfter } from './change-requests';
import type { WrappedKey } from '../config/data-key-ring';
import type { SealedFieldCipher, SealedFieldSecrets } from './sealed-field-cipher';

/** Brand clocks drift; an `at` further ahead of ours than this is a mistake, not a skew. */
export const MAX_FUTURE_SKEW_MS = 5 * 60 * 1000;

export type Fields = { [key: string]: JsonValue };

/** Who writes: the brand a command acts for (its id and the slug that goes into records). */
export interface BrandRef {
  id: string;
  slug: string;
}

/** Create an order with its `created` event (seq 1). */
export interface CreateOrderCommand {
  kind: 'create';
  brand: BrandRef;
  /** Who records it: the record's `data["ordertrace:source"]` (`api:<key id>`). */
  source: string;
  reference: string;
  at?: Date;
  data: Fields;
  sealed: Fields;
}

/** Where an append goes: an order id, or a brand's order reference. */
export type OrderTarget = { orderId: string } | { reference: string };

/** Append a lifecycle event to an order. Without `brandId` the order may belong to any brand. */
export interface AppendEventCommand {
  kind: 'append';
  brandId: string | null;
  /** Who records it: the record's `data["ordertrace:source"]` (`api:<key id>`, `consumer`, `operator`). */
  source: string;
  target: OrderTarget;
  type: EventType;
  at?: Date;
  data: Fields;
  sealed: Fields;
}

export type OrderCommand = CreateOrderCommand | AppendEventCommand;

/** An order's chain head as locked in the database, or as created earlier in the same group. */
export interface OrderHead {
  id: string;
  brandId: string;
  brandSlug: string;
  reference: string;
  lastSeq: number;
  lastLeaf: Hex | null;
  status: OrderStatus;
  data: Fields;
  createdAt: Date;
  updatedAt: Date;
  /** The order's key for private fields, wrapped; null before per-order keys (until one is needed) and after erasure. */
  wrappedKey: WrappedKey | null;
  /** Set by this group on an order that had none: written with the head. */
  keyAdded: boolean;
  /** When the order's private fields were erased (it takes no new ones); null while kept. */
  erasedAt: Date | null;
  /** The consumer's change requests the brand has not answered yet (change-requests.ts). */
  pendingRequests: readonly PendingRequest[];
  /** Created by this group: inserted, not updated. */
  isNew: boolean;
  /** Changed by this group. */
  dirty: boolean;
}

/** A stored event of the group, before its batch position is known. */
export interface PlannedEvent {
  built: BuiltEvent;
}

export type CommandOutcome =
  /** `head` is the order as this command left it (a copy: later commands do not change it). */
  { ok: true; head: Readonly<OrderHead>; event: PlannedEvent; record: EventRecord } | { ok: false; error: DomainError };

/** What a group writes: new orders, changed heads and new events in the order they were planned. */
export interface GroupWrites {
  newOrders: OrderHead[];
  changedHeads: OrderHead[];
  events: PlannedEvent[];
}

export function headKeyOfReference(brandId: string, reference: string): string {
  return `${brandId}\u0000${reference}`;
}

/** Finds the first string in `value` holding U+0000, which PostgreSQL text and jsonb cannot store. */
function nulPath(value: JsonValue, path: string): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null;
  if (typeof value !== 'object' || value === null) return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = nulPath(value[i], `${path}[${i}]`);
      if (found !== null) return found;
    }
    return null;
  }
  for (const key of Object.keys(value)) {
    if (key.includes('\u0000')) return `${path}.${key.split('\u0000').join('\\u0000')}`;
    const found = nulPath(value[key], `${path}.${key}`);
    if (found !== null) return found;
  }
  return null;
}

function eventTime(at: Date | undefined, recorded: Date): Date {
  if (at === undefined) return recorded;
  if (Number.isNaN(at.getTime())) throw invalidField('at', 'is not a valid time');
  if (at.getTime() > recorded.getTime() + MAX_FUTURE_SKEW_MS) {
    throw invalidField('at', `lies in the future (more than ${MAX_FUTURE_SKEW_MS / 60000} minutes after now)`);
  }
  if (at.getUTCFullYear() < 2000 || at.getUTCFullYear() > 9999) throw invalidField('at', 'must be a year from 2000 on');
  return at;
}

function checkStorable(data: Fields): void {
  const path = nulPath(data, 'data');
  if (path !== null) throw invalidField(path, 'must not contain the character U+0000');
}

/**
 * The record's `data`: the fields as sent plus who recorded them. The edge refuses `ordertrace:`
 * names in brand input; this check keeps a caller that skipped it from having its value replaced.
 */
function withSource(data: Fields, source: string): Fields {
  if (Object.prototype.hasOwnProperty.call(data, SOURCE_DATA_KEY)) {
    throw invalidField(`data.${SOURCE_DATA_KEY}`, 'is reserved: ordertrace writes it itself');
  }
  return { ...data, [SOURCE_DATA_KEY]: source };
}

/**
 * Applies the commands of one write group, in the order given, to the order heads locked for it:
 * each command is checked against the lifecycle and hashed into its record and leaf, chained to
 * the head as the commands before it left it. A failing command changes nothing and leaves the
 * others as they are. Pure but for ids, salts and encryption: no I/O.
 */
export class GroupPlanner {
  private readonly byId = new Map<string, OrderHead>();
  private readonly byReference = new Map<string, OrderHead>();
  private readonly events: PlannedEvent[] = [];
  /** Order keys in clear, unwrapped once per group and only for orders that get private fields. */
  private readonly orderKeys = new Map<string, Buffer>();

  constructor(
    lockedHeads: readonly OrderHead[],
    private readonly cipher: SealedFieldCipher,
    private readonly now: Date = new Date(),
  ) {
    for (const head of lockedHeads) this.remember(head);
  }

  apply(command: OrderCommand): CommandOutcome {
    try {
      return command.kind === 'create' ? this.create(command) : this.append(command);
    } catch (e) {
      if (e instanceof DomainError) return { ok: false, error: e };
      throw e;
    }
  }

  /**
   * Applies `commands` all or nothing: when one fails, the heads and events the others planned are
   * undone, so nothing of them is written; the outcomes still say which command failed and why.
   */
  applyAll(commands: readonly OrderCommand[]): CommandOutcome[] {
    const eventsBefore = this.events.length;
    const saved = new Map<OrderHead, OrderHead>();
    const created: OrderHead[] = [];
    const outcomes: CommandOutcome[] = [];
    for (const command of commands) {
      if (command.kind === 'append') {
        const head = this.find(command);
        if (head !== undefined && !saved.has(head)) saved.set(head, { ...head });
      }
      const outcome = this.apply(command);
      if (outcome.ok && command.kind === 'create') created.push(this.byId.get(outcome.head.id)!);
      outcomes.push(outcome);
      if (!outcome.ok) {
        for (const [head, before] of saved) Object.assign(head, before);
        for (const head of created) {
          this.byId.delete(head.id);
          this.byReference.delete(headKeyOfReference(head.brandId, head.reference));
        }
        this.events.length = eventsBefore;
        break;
      }
    }
    return outcomes;
  }

  writes(): GroupWrites {
    const heads = [...this.byId.values()];
    return {
      newOrders: heads.filter((h) => h.isNew),
      changedHeads: heads.filter((h) => !h.isNew && h.dirty),
      events: this.events,
    };
  }

  private remember(head: OrderHead): void {
    this.byId.set(head.id, head);
    this.byReference.set(headKeyOfReference(head.brandId, head.reference), head);
  }

  private create(command: CreateOrderCommand): CommandOutcome {
    if (this.byReference.has(headKeyOfReference(command.brand.id, command.reference))) {
      throw new DomainError(ErrorCode.ORDER_REFERENCE_TAKEN, `The brand already has an order with reference "${command.reference}"`, {
        field: 'reference',
      });
    }
    checkStorable(command.data);
    const id = newOrderId(this.now);
    // An order with private fields gets its key with its row, in the group's one statement: no round
    // trip later. One without gets it with its first private field (seal below), so it costs no key work.
    const orderKey = Object.keys(command.sealed).length > 0 ? this.cipher.newOrderKey(id) : null;
    if (orderKey !== null) this.orderKeys.set(id, orderKey.key);
    const built = buildEvent(
      {
        brandSlug: command.brand.slug,
        orderId: id,
        seq: 1,
        type: 'created',
        at: eventTime(command.at, this.now),
        recorded: this.now,
        data: withSource(command.data, command.source),
        sealed: command.sealed,
        prev: null,
      },
      (secrets) => this.cipher.encrypt(secrets, orderKey!.key, id, 1),
    );
    const head: OrderHead = {
      id,
      brandId: command.brand.id,
      brandSlug: command.brand.slug,
      reference: command.reference,
      lastSeq: 1,
      lastLeaf: built.row.leaf as Hex,
      status: 'created',
      data: command.data,
      createdAt: this.now,
      updatedAt: this.now,
      wrappedKey: orderKey?.wrapped ?? null,
      keyAdded: false,
      erasedAt: null,
      pendingRequests: [],
      isNew: true,
      dirty: true,
    };
    this.remember(head);
    const event = { built };
    this.events.push(event);
    return { ok: true, head: { ...head }, event, record: built.record };
  }

  private append(command: AppendEventCommand): CommandOutcome {
    const head = this.find(command);
    if (head === undefined) {
      const what = 'orderId' in command.target ? command.target.orderId : `with reference "${command.target.reference}"`;
      throw new DomainError(ErrorCode.ORDER_NOT_FOUND, `No order ${what}`);
    }
    const step = transition(head.status, command.type);
    if (!step.allowed) {
      throw new DomainError(
        ErrorCode.ILLEGAL_TRANSITION,
        `An order in state ${head.status} cannot take a ${command.type} event` +
          (step.allowedTypes.length > 0 ? `; allowed next: ${step.allowedTypes.join(', ')}` : '; it is final'),
        { currentState: head.status, allowed: step.allowedTypes, field: 'type' },
      );
    }
    checkStorable(command.data);
    if (head.erasedAt !== null && Object.keys(command.sealed).length > 0) {
      throw new DomainError(ErrorCode.ORDER_ERASED, `The private fields of order ${head.id} were erased; it takes no new ones`, {
        field: 'sealed',
      });
    }
    const seq = head.lastSeq + 1;
    const pendingRequests = pendingRequestsAfter(head, command, seq);
    const built = buildEvent(
      {
        brandSlug: head.brandSlug,
        orderId: head.id,
        seq,
        type: command.type,
        at: eventTime(command.at, this.now),
        recorded: this.now,
        data: withSource(command.data, command.source),
        sealed: command.sealed,
        prev: head.lastLeaf,
      },
      (secrets) => this.seal(head, secrets, seq),
    );
    head.lastSeq += 1;
    head.lastLeaf = built.row.leaf as Hex;
    head.status = step.nextStatus;
    head.pendingRequests = pendingRequests;
    head.updatedAt = this.now;
    head.dirty = true;
    const event = { built };
    this.events.push(event);
    return { ok: true, head: { ...head }, event, record: built.record };
  }

  /** Encrypts an appended event's private fields under its order's key, giving an order stored before per-order keys one. */
  private seal(head: OrderHead, secrets: SealedFieldSecrets, seq: number): Buffer {
    let key = this.orderKeys.get(head.id);
    if (key === undefined) {
      if (head.wrappedKey === null) {
        const fresh = this.cipher.newOrderKey(head.id);
        head.wrappedKey = fresh.wrapped;
        head.keyAdded = true;
        key = fresh.key;
      } else key = this.cipher.unwrapOrderKey(head.id, head.wrappedKey);
      this.orderKeys.set(head.id, key);
    }
    return this.cipher.encrypt(secrets, key, head.id, seq);
  }

  private find(command: AppendEventCommand): OrderHead | undefined {
    if ('orderId' in command.target) {
      const head = this.byId.get(command.target.orderId);
      return head !== undefined && (command.brandId === null || head.brandId === command.brandId) ? head : undefined;
    }
    if (command.brandId === null) return undefined;
    return this.byReference.get(headKeyOfReference(command.brandId, command.target.reference));
  }
}

/** A head row as the lock query returns it. */
export function headFromRow(row: {
  id: string;
  brand_id: string;
  brand_slug: string;
  reference: string;
  last_seq: number;
  last_leaf: string | null;
  status: string;
  created_at: Date;
  updated_at: Date;
  wrapped_key: Uint8Array | null;
  data_key_id: string | null;
  erased_at: Date | null;
  pending_requests: PendingRequest[];
}): OrderHead {
  if (!isOrderStatus(row.status)) throw new Error(`order ${row.id} has unknown status ${row.status}`);
  return {
    id: row.id,
    brandId: row.brand_id,
    brandSlug: row.brand_slug,
    reference: row.reference,
    lastSeq: Number(row.last_seq),
    lastLeaf: row.last_leaf as Hex | null,
    status: row.status,
    data: {},
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    wrappedKey:
      row.wrapped_key === null || row.data_key_id === null ? null : { wrapped: Buffer.from(row.wrapped_key), dataKeyId: row.data_key_id },
    keyAdded: false,
    erasedAt: row.erased_at,
    pendingRequests: row.pending_requests,
    isNew: false,
    dirty: false,
  };
}
