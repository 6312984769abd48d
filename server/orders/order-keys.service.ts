import type { AuditOrigin } from '../audit-trail/audit-origin';
import { AuditTrailService } from '../audit-trail/audit-trail.service';
import { Injectable, Logger } from '@nestjs/common';
import type { BrandPrincipal } from '../auth/brand-principal';
import { SqlExecutor } from '../database/sql-executor';
import { DomainError, ErrorCode } from '../errors/domain-error';
import { ServiceKeysService } from '../service-keys/service-keys.service';
import type { DataKeyRotationDto, OrderErasureDto } from './order-keys.dto';
import { OrdersRepository } from './orders.repository';
import type { WrappedKey } from '../config/data-key-ring';
import { SealedFieldCipher, type SealedFieldSecrets } from './sealed-field-cipher';

/** Orders handled per transaction by a rotation: each batch commits on its own. */
const ROTATION_BATCH = 500;

/**
 * The keys under which orders' private fields are encrypted: erasure of one order's key
 * (crypto-shredding) and rotation of the data key that wraps them all.
 */
@Injectable()
export class OrderKeysService {
  private readonly logger = new Logger(OrderKeysService.name);

  constructor(
    private readonly sql: SqlExecutor,
    private readonly orders: OrdersRepository,
    private readonly cipher: SealedFieldCipher,
    private readonly serviceKeys: ServiceKeysService,
    private readonly trail: AuditTrailService,
  ) {}

  /**
   * POST /v1/orders/{id}/erase: destroys the order's wrapped key and its encrypted values and
   * salts, so that no copy of them (backups included) opens again; the commitments stay, and every
   * bundle of the order still verifies. Idempotent: erasing again answers the first erasure.
   * Throws DomainError ORDER_NOT_FOUND.
   */
  async erase(principal: BrandPrincipal, origin: AuditOrigin, orderId: string): Promise<OrderErasureDto> {
    return this.sql.transaction(async (session) => {
      const order = await this.orders.lockForErasure(session, orderId, principal.brandId);
      if (order === null) throw new DomainError(ErrorCode.ORDER_NOT_FOUND, `No order ${orderId}`);
      const erasedAt = order.erasedAt ?? new Date();
      if (order.erasedAt === null) {
        await this.orders.erase(session, orderId, erasedAt);
        this.logger.log(`erased the private fields of order ${orderId}`);
      }
      const erasedFields = await this.orders.sealedFieldNames(session, orderId);
      // Once: a repeated call answers the first erasure and records nothing new.
      if (order.erasedAt === null) {
        await this.trail.record(session, {
          ...origin,
          action: 'order.erased',
          target: `order:${orderId}`,
          details: { fields: erasedFields },
        });
      }
      return { order: orderId, erasedAt: erasedAt.toISOString(), erasedFields };
    });
  }

  /**
   * POST /v1/admin/data-key/rotate: re-wraps every order key and service key still wrapped under
   * an earlier data key with the current one (the keys themselves, and so every ciphertext and
   * printed link, stay the same), and moves private fields stored before per-order keys under a
   * key of their order. Afterwards the earlier data keys are no longer needed. Safe to repeat.
   */
  async rotateDataKey(origin: AuditOrigin): Promise<DataKeyRotationDto> {
    const ring = this.cipher.ring;
    const before = await this.orders.keyCountsNotUnder(ring.currentId);
    const earlier = [...before.keys()].filter((id) => ring.knows(id));
    let orderKeysRewrapped = 0;
    for (;;) {
      const n = await this.sql.transaction(async (session) => {
        const locked = await this.orders.lockKeysUnder(session, earlier, ROTATION_BATCH);
        await this.orders.setKeys(
          session,
          locked.map((k) => ({ id: k.id, wrapped: this.cipher.rewrapOrderKey(k.id, k.wrapped) })),
        );
        return locked.length;
      });
      orderKeysRewrapped += n;
      if (n < ROTATION_BATCH) break;
    }

    let eventsMovedUnderOrderKeys = 0;
    let eventsUnderUnknownDataKeys = 0;
    // Orders in id order, each batch after the last: one whose values no known key opens is passed, not retried.
    for (let after = ''; ;) {
      const locked = await this.sql.transaction(async (session) => {
        const orders = await this.orders.lockOrdersUnderDataKey(session, after, ROTATION_BATCH);
        const added: { id: string; wrapped: WrappedKey }[] = [];
        const resealed: { orderId: string; seq: number; sealed: Buffer }[] = [];
        for (const order of orders) {
          const opened: { seq: number; secrets: SealedFieldSecrets }[] = [];
          for (const event of order.events) {
            try {
              opened.push({ seq: event.seq, secrets: this.cipher.decrypt(event.sealed, null, order.id, event.seq) });
            } catch {
              eventsUnderUnknownDataKeys += 1;
            }
          }
          if (opened.length === 0) continue;
          let key: Buffer;
          if (order.wrapped === null) {
            const fresh = this.cipher.newOrderKey(order.id);
            added.push({ id: order.id, wrapped: fresh.wrapped });
            key = fresh.key;
          } else key = this.cipher.unwrapOrderKey(order.id, order.wrapped);
          for (const { seq, secrets } of opened) {
            resealed.push({ orderId: order.id, seq, sealed: this.cipher.encrypt(secrets, key, order.id, seq) });
          }
        }
        await this.orders.setKeys(session, added);
        await this.orders.setSealed(session, resealed);
        eventsMovedUnderOrderKeys += resealed.length;
        return orders;
      });
      if (locked.length < ROTATION_BATCH) break;
      after = locked[locked.length - 1].id;
    }

    const serviceKeysRewrapped = await this.serviceKeys.rewrapAll();
    const unknown = [...before.entries()].filter(([id]) => !ring.knows(id));
    const result: DataKeyRotationDto = {
      dataKeyId: ring.currentId,
      orderKeysRewrapped,
      serviceKeysRewrapped,
      eventsMovedUnderOrderKeys,
      eventsUnderUnknownDataKeys,
      unknownDataKeys: unknown.map(([id, orders]) => ({ dataKeyId: id, orders })),
    };
    await this.trail.record(null, {
      ...origin,
      action: 'data-key.rotated',
      target: `data-key:${ring.currentId}`,
      details: { orderKeysRewrapped, serviceKeysRewrapped, eventsMovedUnderOrderKeys, eventsUnderUnknownDataKeys },
    });
    this.logger.log(
      `data key rotation to ${ring.currentId}: ${orderKeysRewrapped} order keys and ${serviceKeysRewrapped} service keys re-wrapped, ` +
        `${eventsMovedUnderOrderKeys} events moved under order keys` +
        (eventsUnderUnknownDataKeys > 0 ? `; ${eventsUnderUnknownDataKeys} events under no known data key left as they are` : '') +
        (unknown.length > 0 ? `; keys under unknown data keys left as they are: ${unknown.map(([id]) => id).join(', ')}` : ''),
    );
    return result;
  }
}
