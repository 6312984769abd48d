import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { type EntityManager, IsNull, type Repository } from 'typeorm';
import { OrderAccessTokenEntity } from './order-access-token.entity';

@Injectable()
export class OrderAccessTokensRepository {
  constructor(@InjectRepository(OrderAccessTokenEntity) private readonly tokens: Repository<OrderAccessTokenEntity>) {}

  /** Whether any token was ever issued. */
  async any(): Promise<boolean> {
    return (await this.tokens.createQueryBuilder('t').select('1').limit(1).getRawMany()).length > 0;
  }

  /** The unrevoked token of `orderId` with this hash; a token of another order does not match. */
  findLive(orderId: string, tokenHash: string): Promise<OrderAccessTokenEntity | null> {
    return this.tokens.findOne({ where: { orderId, tokenHash, revokedAt: IsNull() } });
  }

  /**
   * Serialises link changes of one order (issue, revoke) on its orders row, so that two
   * concurrent requests cannot leave two live tokens. False when the order does not exist.
   */
  async lockOrder(tx: EntityManager, orderId: string): Promise<boolean> {
    const rows: unknown[] = await tx.query(`SELECT id FROM orders WHERE id = $1 FOR UPDATE`, [orderId]);
    return rows.length > 0;
  }

  /** The newest live token of an order. */
  findCurrent(tx: EntityManager, orderId: string): Promise<OrderAccessTokenEntity | null> {
    return tx.getRepository(OrderAccessTokenEntity).findOne({ where: { orderId, revokedAt: IsNull() }, order: { createdAt: 'DESC' } });
  }

  async revokeAll(tx: EntityManager, orderId: string, at: Date): Promise<void> {
    await tx.getRepository(OrderAccessTokenEntity).update({ orderId, revokedAt: IsNull() }, { revokedAt: at });
  }

  async revoke(tx: EntityManager, id: string, at: Date): Promise<void> {
    await tx.getRepository(OrderAccessTokenEntity).update({ id, revokedAt: IsNull() }, { revokedAt: at });
  }

  async insert(tx: EntityManager, row: OrderAccessTokenEntity): Promise<void> {
    await tx.getRepository(OrderAccessTokenEntity).insert(row);
  }
}
