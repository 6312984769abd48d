import { Injectable } from '@nestjs/common';
import type { JsonValue } from '../../proof/canonical';
import type { BrandPrincipal } from '../auth/brand-principal';
import { DomainError, ErrorCode, invalidFields, type FieldProblem } from '../errors/domain-error';
import { parseRfc3339 } from '../events/event-fields.validation';
import { EventsService } from '../events/events.service';
import type { IdempotentRequest } from '../idempotency/idempotency-key.decorator';
import { TransactionService } from '../idempotency/transaction.service';
import { decodeOrderCursor, encodeOrderCursor } from './order-cursor';
import { newOrderId } from './order-id';
import type { OrderEntity } from './order.entity';
import { type CreateOrderDto, type ListOrdersQueryDto, mapOrder, type OrderDto, type OrderPageDto } from './orders.dto';
import { OrdersRepository } from './orders.repository';

const DEFAULT_PAGE_SIZE = 50;

/** Copies only defined properties into a plain object: JCS refuses `undefined` and class instances. */
function plain<T extends object>(value: T): { [key: string]: JsonValue } {
  return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, JsonValue] => entry[1] !== undefined));
}

/** The private fields of a new order: free-form `sealed` plus the typed ones, which must not clash. */
function sealedFieldsOf(dto: CreateOrderDto): { [name: string]: JsonValue } {
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
      clashes.push({ field: `sealed.${name}`, message: `clashes with the typed field ${name}; send it once` });
    }
    sealed[name] = value;
  }
  if (clashes.length > 0) throw invalidFields(clashes);
  return sealed;
}

@Injectable()
export class OrdersService {
  constructor(
    private readonly orders: OrdersRepository,
    private readonly events: EventsService,
    private readonly transactions: TransactionService,
  ) {}

  /** Creates the order and its `created` event (seq 1) in one transaction. */
  create(principal: BrandPrincipal, dto: CreateOrderDto, idempotency: IdempotentRequest | null): Promise<OrderDto> {
    const sealed = sealedFieldsOf(dto);
    const data = dto.data ?? {};
    const at = dto.at === undefined ? undefined : (parseRfc3339(dto.at) ?? undefined);
    return this.transactions.runIdempotent(principal.brandId, idempotency, 201, async (tx) => {
      const now = new Date();
      const id = newOrderId(now);
      let order!: OrderEntity;
      await this.events.recordCreated(tx, { id, brandSlug: principal.brandSlug, recorded: now }, { at, data, sealed }, async (leaf) => {
        order = {
          id,
          brandId: principal.brandId,
          reference: dto.reference,
          status: 'created',
          lastSeq: 1,
          lastLeaf: leaf,
          data,
          createdAt: now,
          updatedAt: now,
        };
        await this.orders.insert(tx, order);
      });
      return mapOrder(order);
    });
  }

  async get(principal: BrandPrincipal, orderId: string): Promise<OrderDto> {
    const order = await this.orders.findForBrand(principal.brandId, orderId);
    if (order === null) throw new DomainError(ErrorCode.ORDER_NOT_FOUND, `No order ${orderId}`);
    return mapOrder(order);
  }

  async list(principal: BrandPrincipal, query: ListOrdersQueryDto): Promise<OrderPageDto> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const cursor = query.cursor === undefined ? null : decodeOrderCursor(query.cursor);
    const rows = await this.orders.page(
      principal.brandId,
      {
        status: query.status,
        createdFrom: query.createdFrom === undefined ? undefined : (parseRfc3339(query.createdFrom) ?? undefined),
        createdTo: query.createdTo === undefined ? undefined : (parseRfc3339(query.createdTo) ?? undefined),
        reference: query.reference,
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
}
