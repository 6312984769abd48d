import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { isUniqueViolation } from '../database/postgres-errors';
import { DomainError, ErrorCode } from '../errors/domain-error';
import type { OrderCursor } from './order-cursor';
import { OrderEntity } from './order.entity';

export interface OrderFilter {
  status?: string;
  createdFrom?: Date;
  createdTo?: Date;
  reference?: string;
}

@Injectable()
export class OrdersRepository {
  constructor(@InjectRepository(OrderEntity) private readonly orders: Repository<OrderEntity>) {}

  async insert(tx: EntityManager, order: OrderEntity): Promise<void> {
    try {
      // jsonb `data` is opaque to TypeORM's deep-partial typing.
      await tx.getRepository(OrderEntity).insert(order as QueryDeepPartialEntity<OrderEntity>);
    } catch (e) {
      if (isUniqueViolation(e, 'uq_orders_brand_reference')) {
        throw new DomainError(ErrorCode.ORDER_REFERENCE_TAKEN, `The brand already has an order with reference "${order.reference}"`, {
          field: 'reference',
        });
      }
      throw e;
    }
  }

  findById(id: string): Promise<OrderEntity | null> {
    return this.orders.findOne({ where: { id } });
  }

  findForBrand(brandId: string, id: string): Promise<OrderEntity | null> {
    return this.orders.findOne({ where: { id, brandId } });
  }

  /** One page, newest first, after `cursor`; fetches one extra row to tell whether more follow. */
  page(brandId: string, filter: OrderFilter, cursor: OrderCursor | null, limit: number): Promise<OrderEntity[]> {
    const qb = this.orders.createQueryBuilder('o').where('o.brand_id = :brandId', { brandId });
    if (filter.status !== undefined) qb.andWhere('o.status = :status', { status: filter.status });
    if (filter.createdFrom !== undefined) qb.andWhere('o.created_at >= :createdFrom', { createdFrom: filter.createdFrom });
    if (filter.createdTo !== undefined) qb.andWhere('o.created_at < :createdTo', { createdTo: filter.createdTo });
    if (filter.reference !== undefined) qb.andWhere('o.reference = :reference', { reference: filter.reference });
    if (cursor !== null) {
      qb.andWhere('(o.created_at, o.id) < (:cursorAt, :cursorId)', { cursorAt: cursor.createdAt, cursorId: cursor.id });
    }
    return qb
      .orderBy('o.created_at', 'DESC')
      .addOrderBy('o.id', 'DESC')
      .limit(limit + 1)
      .getMany();
  }
}
