import { Injectable } from '@nestjs/common';
import type { JsonValue } from '../../proof/canonical';
import { apiKeySource, type EventType } from '../../proof/record';
import type { BrandPrincipal, KeyCaller } from '../auth/brand-principal';
import { GrantsRepository } from '../auth/grants.repository';
import { EventAnchorsService } from '../batches/event-anchors.service';
import { DomainError, ErrorCode, type FieldProblem, invalidFields } from '../errors/domain-error';
import { toProblem } from '../errors/problem-details.filter';
import { validateDto } from '../errors/validation.pipe';
import type { IdempotentRequest } from '../idempotency/idempotency-key.decorator';
import { acceptCommonBulkEvent, acceptCommonCreate } from './common-body-check';
import { BulkEventItemDto, type BulkItemResultDto, type BulkRequestDto, type BulkResponseDto } from './bulk.dto';
import type { EventAnchorView } from './event-anchor';
import { parseRfc3339 } from './event-fields.validation';
import type { EventEntity } from './event.entity';
import { type AppendEventDto, type EventDto, type EventListDto, mapEvent } from './events.dto';
import type { AppendEventCommand, CommandOutcome, CreateOrderCommand, Fields, OrderCommand, OrderHead } from './order-commands';
import { decodeOrderCursor, encodeOrderCursor } from './order-cursor';
import { OrderWriterService, type WriteResponse } from './order-writer.service';
import type { OrderEntity } from './order.entity';
import { CreateOrderDto, type ListOrdersQueryDto, mapOrder, type OrderDto, type OrderPageDto } from './orders.dto';
import { OrdersRepository } from './orders.repository';
import type { WrappedKey } from '../config/data-key-ring';
import { SealedFieldCipher, type SealedFieldSecrets } from './sealed-field-cipher';

const DEFAULT_PAGE_SIZE = 50;

/** A new event has no batch until its batch is sealed. */
const PENDING: EventAnchorView = { status: 'pending', anchor: null };

/** Copies only defined properties into a plain object: JCS refuses `undefined` and class instances. */
function plain<T extends object>(value: T): { [key: string]: JsonValue } {
  return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, JsonValue] => entry[1] !== undefined));
}

/** The private fields of a new order: free-form `sealed` plus the typed ones, which must not clash. */
function sealedFieldsOf(dto: CreateOrderDto, path: string): { [name: string]: JsonValue } {
  const typed: [string, JsonValue | undefined][] = [
    ['lineItems', dto.lineItems?.map((item) => plain(item))],
    ['customer', dto.customer && plain(dto.customer)],
    ['shippingAddress', dto.shippingAddress && plain(dto.shippingAddress)],
  ];
  const sealed = { ...(dto.sealed ?? {}) };
  const clashes: FieldProblem[] = [];
  for (const [name, value] of typed) {
    if (value === undefined) continue;
    if (Object.prototype.hasOwnProperty.call(sealed, name)) {
      clashes.push({ field: `${path}sealed.${name}`, message: `clashes with the typed field ${name}; send it once` });
    }
    sealed[name] = value;
  }
  if (clashes.length > 0) throw invalidFields(clashes);
  return sealed;
}

function optionalTime(value: string | undefined): Date | undefined {
  return value === undefined ? undefined : (parseRfc3339(value) ?? undefined);
}

function createCommand(principal: BrandPrincipal, dto: CreateOrderDto, path = ''): CreateOrderCommand {
  return {
    kind: 'create',
    brand: { id: principal.brandId, slug: principal.brandSlug },
    source: apiKeySource(principal.keyId),
    reference: dto.reference,
    at: optionalTime(dto.at),
    data: dto.data ?? {},
    sealed: sealedFieldsOf(dto, path),
  };
}

function appendCommand(
  brandId: string | null,
  source: string,
  target: AppendEventCommand['target'],
  dto: Pick<AppendEventDto, 'type' | 'at' | 'data' | 'sealed'>,
): AppendEventCommand {
  return {
    kind: 'append',
    brandId,
    source,
    target,
    type: dto.type,
    at: optionalTime(dto.at),
    data: dto.data ?? {},
    sealed: dto.sealed ?? {},
  };
}

function orderOf(head: Readonly<OrderHead>): OrderEntity {
  const { id, brandId, reference, status, lastSeq, lastLeaf, data, createdAt, updatedAt, erasedAt } = head;
  return { id, brandId, reference, status, lastSeq, lastLeaf, data, createdAt, updatedAt, erasedAt };
}

function createdOrder(outcome: CommandOutcome): OrderDto | DomainError {
  return outcome.ok ? mapOrder(orderOf(outcome.head)) : outcome.error;
}

function appendedEvent(outcome: CommandOutcome): EventDto | DomainError {
  return outcome.ok ? mapEvent(outcome.event.built.row, PENDING, outcome.record) : outcome.error;
}

/** One request's answer: 201 with the body, or the request's error. */
function single<T>(map: (outcome: CommandOutcome) => T | DomainError): (outcomes: CommandOutcome[]) => WriteResponse | DomainError {
  return (outcomes) => {
    const body = map(outcomes[0]);
    return body instanceof DomainError ? body : { statusCode: 201, body };
  };
}

/**
 * The order aggregate: an order's head (state, last seq and leaf) and its hash-chained events.
 * Every write goes through the OrderWriterService's group commit; reads come from the repository.
 */
@Injectable()
export class OrdersService {
  constructor(
    private readonly orders: OrdersRepository,
    private readonly writer: OrderWriterService,
    private readonly cipher: SealedFieldCipher,
    private readonly anchors: EventAnchorsService,
    private readonly grants: GrantsRepository,
  ) {}

  /** How busy ingest has been of late, 0 to 1 (see OrderWriterService.load), for background work to yield to it. */
  ingestLoad(): number {
    return this.writer.load();
  }

  /** POST /v1/orders: the order and its `created` event (seq 1). */
  async create(principal: BrandPrincipal, dto: CreateOrderDto, idempotency: IdempotentRequest | null): Promise<OrderDto> {
    const response = await this.writer.submit({
      brandId: principal.brandId,
      commands: [createCommand(principal, dto)],
      idempotency,
      respond: single(createdOrder),
    });
    return response.body as OrderDto;
  }

  /** POST /v1/orders/{id}/events. */
  async appendForBrand(
    principal: BrandPrincipal,
    orderId: string,
    dto: AppendEventDto,
    idempotency: IdempotentRequest | null,
  ): Promise<EventDto> {
    const response = await this.writer.submit({
      brandId: principal.brandId,
      commands: [appendCommand(principal.brandId, apiKeySource(principal.keyId), { orderId }, dto)],
      idempotency,
      respond: single(appendedEvent),
    });
    return response.body as EventDto;
  }

  /**
   * Appends an event the service itself records, e.g. the consumer's `received` from the public
   * receipt page; `source` is who its record names (`consumer` or `operator`). Throws DomainError
   * ORDER_NOT_FOUND, ILLEGAL_TRANSITION (with currentState and allowed) or VALIDATION_FAILED.
   */
  async appendEvent(
    target: { orderId: string },
    source: 'consumer' | 'operator',
    input: Pick<AppendEventDto, 'type' | 'data' | 'sealed'>,
  ): Promise<EventDto> {
    const response = await this.writer.submit({
      brandId: null,
      commands: [appendCommand(null, source, target, input)],
      idempotency: null,
      respond: single(appendedEvent),
    });
    return response.body as EventDto;
  }

  /**
   * POST /v1/bulk: items applied in order, each on its own, answered item by item. With an
   * Idempotency-Key the whole answer is stored with the items, so a retry appends nothing twice.
   */
  async bulk(principal: BrandPrincipal, body: BulkRequestDto, idempotency: IdempotentRequest | null): Promise<BulkResponseDto> {
    const results: (BulkItemResultDto | null)[] = [];
    const commands: OrderCommand[] = [];
    const commandItems: { index: number; kind: 'order' | 'event' }[] = [];
    body.items.forEach((item, index) => {
      try {
        const parsed = this.bulkItem(principal, item, `items[${index}]`);
        commands.push(parsed);
        commandItems.push({ index, kind: parsed.kind === 'create' ? 'order' : 'event' });
        results.push(null);
      } catch (e) {
        if (!(e instanceof DomainError)) throw e;
        results.push({ status: toProblem(e).status, problem: toProblem(e) });
      }
    });
    const response = await this.writer.submit({
      brandId: principal.brandId,
      commands,
      idempotency,
      respond: (outcomes) => {
        const items = [...results];
        outcomes.forEach((outcome, i) => {
          const { index, kind } = commandItems[i];
          if (!outcome.ok) items[index] = { status: toProblem(outcome.error).status, problem: toProblem(outcome.error) };
          else if (kind === 'order') items[index] = { status: 201, order: mapOrder(orderOf(outcome.head)) };
          else items[index] = { status: 201, event: mapEvent(outcome.event.built.row, PENDING, outcome.record) };
        });
        return { statusCode: 200, body: { items } };
      },
    });
    return response.body as BulkResponseDto;
  }

  /**
   * Appends events to the brand's orders all or nothing, in the order given (an imported document):
   * when one fails, none is stored and the error names `fieldOf(i)` of the one at fault.
   */
  async appendAllForBrand(
    principal: BrandPrincipal,
    events: readonly { orderId: string; type: EventType; at: string; data: Fields }[],
    fieldOf: (index: number) => string,
  ): Promise<EventDto[]> {
    const response = await this.writer.submit({
      brandId: principal.brandId,
      commands: events.map((e) =>
        appendCommand(principal.brandId, apiKeySource(principal.keyId), { orderId: e.orderId }, { type: e.type, at: e.at, data: e.data }),
      ),
      idempotency: null,
      atomic: true,
      respond: (outcomes) => {
        const failed = outcomes.findIndex((o) => !o.ok);
        if (failed >= 0) {
          const { error } = outcomes[failed] as { ok: false; error: DomainError };
          return new DomainError(error.code, `${fieldOf(failed)}: ${error.message}; nothing was imported`, {
            ...error.extensions,
            field: fieldOf(failed),
          });
        }
        return { statusCode: 201, body: outcomes.map((o) => appendedEvent(o) as EventDto) };
      },
    });
    return response.body as EventDto[];
  }

  /** Which of `values` the brand's orders already hold as the event `data` field `field`. */
  eventDataValuesPresent(
    principal: BrandPrincipal,
    orderIds: readonly string[],
    field: string,
    values: readonly string[],
  ): Promise<Set<string>> {
    return this.orders.eventDataValuesPresent(principal.brandId, orderIds, field, values);
  }

  /** The order, for other modules; with a brand id, null unless it is that brand's. */
  find(orderId: string, brandId: string | null = null): Promise<OrderEntity | null> {
    return this.orders.find(orderId, brandId);
  }

  /**
   * The order as the key may read it: its own brand's, or another brand's through a live grant to
   * the key (for arbitrator and auditor keys). Any other order is "not found", existing or not.
   */
  async findReadable(caller: KeyCaller, orderId: string): Promise<OrderEntity> {
    const order = await this.orders.find(orderId, caller.brandId);
    const readable = order !== null && (caller.brandId !== null || (await this.grants.covers(caller.keyId, order)));
    if (!readable) throw new DomainError(ErrorCode.ORDER_NOT_FOUND, `No order ${orderId}`);
    return order;
  }

  /** GET /v1/orders/{id}: no sealed values, so every reader of the order sees all of it. */
  async get(caller: KeyCaller, orderId: string): Promise<OrderDto> {
    return mapOrder(await this.findReadable(caller, orderId));
  }

  /** GET /v1/orders: a brand's orders for its keys; for an arbitrator or auditor key, the orders its live grants open. */
  async list(caller: KeyCaller, query: ListOrdersQueryDto): Promise<OrderPageDto> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const cursor = query.cursor === undefined ? null : decodeOrderCursor(query.cursor);
    const rows = await this.orders.page(
      caller.brandId !== null ? { brandId: caller.brandId } : { granteeKeyId: caller.keyId },
      {
        status: query.status,
        createdFrom: optionalTime(query.createdFrom),
        createdTo: optionalTime(query.createdTo),
        reference: query.reference,
        referencePrefix: query.referencePrefix,
      },
      cursor,
      limit,
    );
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return {
      items: items.map(mapOrder),
      nextCursor: rows.length > limit && last ? encodeOrderCursor({ createdAt: last.createdAt, id: last.id }) : null,
    };
  }

  /** GET /v1/orders/{id}/events: records carry sealed fields as commitments only, never their values. */
  async listEvents(caller: KeyCaller, orderId: string): Promise<EventListDto> {
    const brandId = caller.brandId ?? (await this.findReadable(caller, orderId)).brandId;
    const events = await this.orders.eventsOf(orderId, brandId);
    // Every order has its `created` event, so no events means no such order for this brand.
    if (events.length === 0) throw new DomainError(ErrorCode.ORDER_NOT_FOUND, `No order ${orderId}`);
    return { items: await this.toDtos(events) };
  }

  /** Stored events as API objects, with their batch and anchor. */
  async toDtos(events: readonly EventEntity[]): Promise<EventDto[]> {
    const views = await this.anchors.resolve(events);
    return events.map((e) => mapEvent(e, views.get(e.id) ?? PENDING));
  }

  /**
   * Opens the values and salts of the sealed fields of one order's events (for disclosure in a
   * bundle, or for flags); `wrappedKey` is the order's (null: none yet, or erased — nothing under an
   * order key opens then). The order's key is unwrapped once, at the first event that needs it.
   */
  sealedFieldsOpener(
    orderId: string,
    wrappedKey: WrappedKey | null,
  ): (event: Pick<EventEntity, 'seq' | 'sealedPrivate'>) => SealedFieldSecrets {
    let orderKey: Buffer | null | undefined;
    return (event) => {
      if (event.sealedPrivate === null) return {};
      orderKey ??= wrappedKey === null ? null : this.cipher.unwrapOrderKey(orderId, wrappedKey);
      return this.cipher.decrypt(event.sealedPrivate, orderKey, orderId, event.seq);
    };
  }

  /** One bulk item as the command of the single call it stands for; throws its validation problem. */
  private bulkItem(principal: BrandPrincipal, item: unknown, path: string): OrderCommand {
    const keys = typeof item === 'object' && item !== null && !Array.isArray(item) ? Object.keys(item) : [];
    if (keys.length !== 1 || (keys[0] !== 'order' && keys[0] !== 'event')) {
      throw invalidFields([{ field: path, message: 'must be {"order": {…}} or {"event": {…}}' }]);
    }
    const value = (item as Record<string, unknown>)[keys[0]];
    if (keys[0] === 'order') {
      const dto = validateDto(CreateOrderDto, value, `${path}.order`, acceptCommonCreate);
      if (dto instanceof DomainError) throw dto;
      return createCommand(principal, dto, `${path}.order.`);
    }
    const dto = validateDto(BulkEventItemDto, value, `${path}.event`, acceptCommonBulkEvent);
    if (dto instanceof DomainError) throw dto;
    if ((dto.order === undefined) === (dto.reference === undefined)) {
      throw invalidFields([{ field: `${path}.event`, message: 'must name its order by exactly one of "order" (the id) or "reference"' }]);
    }
    const target = dto.order !== undefined ? { orderId: dto.order } : { reference: dto.reference! };
    return appendCommand(principal.brandId, apiKeySource(principal.keyId), target, dto);
  }
}
