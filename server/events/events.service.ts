import { Inject, Injectable, Optional } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Hex } from '../../proof/bytes';
import type { JsonValue } from '../../proof/canonical';
import type { EventType } from '../../proof/record';
import type { BrandPrincipal } from '../auth/brand-principal';
import { DomainError, ErrorCode, invalidField } from '../errors/domain-error';
import type { IdempotentRequest } from '../idempotency/idempotency-key.decorator';
import { TransactionService } from '../idempotency/transaction.service';
import { isOrderStatus, transition } from '../orders/order-lifecycle';
import { EVENT_ANCHOR_RESOLVER, type EventAnchorResolver, type EventAnchorView, unresolvedAnchorView } from './event-anchor';
import { type BuiltEvent, buildEvent, type EventDraft } from './event-builder';
import { parseRfc3339 } from './event-fields.validation';
import type { EventEntity } from './event.entity';
import { type AppendEventDto, type EventDto, type EventListDto, mapEvent } from './events.dto';
import { EventsRepository } from './events.repository';
import { SealedFieldCipher, type SealedFieldSecrets } from './sealed-field-cipher';

/** Brand clocks drift; an `at` further ahead of ours than this is a mistake, not a skew. */
export const MAX_FUTURE_SKEW_MS = 5 * 60 * 1000;

export interface AppendEventInput {
  type: EventType;
  /** When it happened; defaults to the moment the event is recorded. */
  at?: Date;
  data?: { [key: string]: JsonValue };
  /** Private values by field name; only commitments are hashed, values and salts stored encrypted. */
  sealed?: { [name: string]: JsonValue };
}

/** The order an event goes to; with brandId, an order of another brand is not found. */
export interface EventTarget {
  orderId: string;
  brandId?: string;
}

/**
 * Ingest of lifecycle events: each one hashed into its record and leaf, chained to the
 * previous leaf and stored in the same transaction that assigns its seq.
 */
@Injectable()
export class EventsService {
  constructor(
    private readonly events: EventsRepository,
    private readonly transactions: TransactionService,
    private readonly cipher: SealedFieldCipher,
    @Optional() @Inject(EVENT_ANCHOR_RESOLVER) private readonly anchors?: EventAnchorResolver,
  ) {}

  /** POST /v1/orders/{id}/events. */
  appendForBrand(
    principal: BrandPrincipal,
    orderId: string,
    dto: AppendEventDto,
    idempotency: IdempotentRequest | null,
  ): Promise<EventDto> {
    const input: AppendEventInput = {
      type: dto.type,
      at: dto.at === undefined ? undefined : (parseRfc3339(dto.at) ?? undefined),
      data: dto.data,
      sealed: dto.sealed,
    };
    return this.transactions.runIdempotent(principal.brandId, idempotency, 201, (tx) =>
      this.appendInTransaction(tx, { orderId, brandId: principal.brandId }, input),
    );
  }

  /**
   * Appends one event in its own transaction. For other modules, e.g. the consumer's `received`
   * from the public receipt page: `appendEvent({ orderId }, { type: 'received' })`. Throws
   * DomainError ORDER_NOT_FOUND, ILLEGAL_TRANSITION (with currentState and allowed) or
   * VALIDATION_FAILED.
   */
  appendEvent(target: EventTarget, input: AppendEventInput): Promise<EventDto> {
    return this.transactions.run((tx) => this.appendInTransaction(tx, target, input));
  }

  /**
   * The same inside the caller's transaction, which must use `tx` for everything else it does
   * (on PGlite a second connection would wait for this one forever).
   */
  async appendInTransaction(tx: EntityManager, target: EventTarget, input: AppendEventInput): Promise<EventDto> {
    const head = await this.events.advanceOrderHead(tx, target.orderId, target.brandId ?? null);
    if (head === null) throw new DomainError(ErrorCode.ORDER_NOT_FOUND, `No order ${target.orderId}`);
    if (!isOrderStatus(head.status)) throw new Error(`order ${target.orderId} has unknown status ${head.status}`);
    const step = transition(head.status, input.type);
    if (!step.allowed) {
      throw new DomainError(
        ErrorCode.ILLEGAL_TRANSITION,
        `An order in state ${head.status} cannot take a ${input.type} event` +
          (step.allowedTypes.length > 0 ? `; allowed next: ${step.allowedTypes.join(', ')}` : '; it is final'),
        { currentState: head.status, allowed: step.allowedTypes, field: 'type' },
      );
    }
    const recorded = new Date();
    const built = this.build({
      brandSlug: head.brandSlug,
      orderId: head.orderId,
      seq: head.seq,
      type: input.type,
      at: this.eventTime(input.at, recorded),
      recorded,
      data: input.data ?? {},
      sealed: input.sealed ?? {},
      prev: head.prevLeaf,
    });
    await this.events.insert(tx, built.row);
    await this.events.setOrderHead(tx, head.orderId, { leaf: built.row.leaf as Hex, status: step.nextStatus, updatedAt: recorded });
    return mapEvent(built.row, unresolvedAnchorView(built.row), built.record);
  }

  /**
   * Stores the `created` event (seq 1) of an order the caller inserts in the same transaction
   * with last_seq 1, status `created` and last_leaf = the returned row's leaf.
   */
  async recordCreated(
    tx: EntityManager,
    order: { id: string; brandSlug: string; recorded: Date },
    input: Omit<AppendEventInput, 'type'>,
    insertOrder: (leaf: Hex) => Promise<void>,
  ): Promise<EventDto> {
    const built = this.build({
      brandSlug: order.brandSlug,
      orderId: order.id,
      seq: 1,
      type: 'created',
      at: this.eventTime(input.at, order.recorded),
      recorded: order.recorded,
      data: input.data ?? {},
      sealed: input.sealed ?? {},
      prev: null,
    });
    await insertOrder(built.row.leaf as Hex);
    await this.events.insert(tx, built.row);
    return mapEvent(built.row, unresolvedAnchorView(built.row), built.record);
  }

  /** GET /v1/orders/{id}/events. */
  async listForBrand(principal: BrandPrincipal, orderId: string): Promise<EventListDto> {
    const events = await this.events.listForOrder(orderId, principal.brandId);
    // Every order has its `created` event, so no events means no such order for this brand.
    if (events.length === 0) throw new DomainError(ErrorCode.ORDER_NOT_FOUND, `No order ${orderId}`);
    return { items: await this.toDtos(events) };
  }

  /** Stored events as API objects, with their batch and anchor where the sealing module knows them. */
  async toDtos(events: readonly EventEntity[]): Promise<EventDto[]> {
    const views = this.anchors ? await this.anchors.resolve(events) : new Map<string, EventAnchorView>();
    return events.map((e) => mapEvent(e, views.get(e.id) ?? unresolvedAnchorView(e)));
  }

  /** Values and salts of an event's sealed fields, for disclosure in a bundle. */
  readSealedFields(event: Pick<EventEntity, 'orderId' | 'seq' | 'sealedPrivate'>): SealedFieldSecrets {
    return event.sealedPrivate === null ? {} : this.cipher.decrypt(event.sealedPrivate, event.orderId, event.seq);
  }

  private build(draft: EventDraft): BuiltEvent {
    return buildEvent(draft, this.cipher);
  }

  private eventTime(at: Date | undefined, recorded: Date): Date {
    if (at === undefined) return recorded;
    if (Number.isNaN(at.getTime())) throw invalidField('at', 'is not a valid time');
    if (at.getTime() > recorded.getTime() + MAX_FUTURE_SKEW_MS) {
      throw invalidField('at', `lies in the future (more than ${MAX_FUTURE_SKEW_MS / 60000} minutes after now)`);
    }
    if (at.getUTCFullYear() < 2000 || at.getUTCFullYear() > 9999) throw invalidField('at', 'must be a year from 2000 on');
    return at;
  }
}
