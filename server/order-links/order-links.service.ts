import { randomUUID } from 'node:crypto';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { AuditOrigin } from '../audit-trail/audit-origin';
import { AuditTrailService } from '../audit-trail/audit-trail.service';
import type { EntityManager } from 'typeorm';
import type { BrandPrincipal } from '../auth/brand-principal';
import { AppConfig } from '../config/app-config';
import { DomainError, ErrorCode } from '../errors/domain-error';
import { UnitOfWork } from '../database/unit-of-work';
import { OrdersService } from '../orders/orders.service';
import { ServiceKeysService } from '../service-keys/service-keys.service';
import {
  hashOrderAccessToken,
  legacyOrderLinkTokenKey,
  ORDER_ACCESS_TOKEN_RE,
  ORDER_LINK_TOKEN_KEY,
  OrderAccessTokenSecret,
} from './order-access-token-secret';
import { OrderAccessTokensRepository } from './order-access-tokens.repository';
import { qrPng, qrSvg } from './qr-code';

/**
 * The public link of an order, `<VERIFIER_URL>#o=<orderId>&t=<token>&api=<PUBLIC_BASE_URL>` (links
 * printed earlier as `<PUBLIC_BASE_URL>/v/<orderId>#<token>` keep working): brands issue it (and its
 * QR code), consumers present its token. The token sits in the fragment, so browsers never send
 * it in a request line or a Referer; the page sends it in a header.
 */
@Injectable()
export class OrderLinksService implements OnModuleInit {
  private secret!: OrderAccessTokenSecret;

  constructor(
    private readonly config: AppConfig,
    private readonly tokens: OrderAccessTokensRepository,
    private readonly orders: OrdersService,
    private readonly transactions: UnitOfWork,
    private readonly serviceKeys: ServiceKeysService,
    private readonly trail: AuditTrailService,
  ) {}

  /**
   * The token key, created on first start. A database that already holds tokens was issued them
   * under the key derived from the data key: that key is kept, so that their QR codes print the same.
   */
  async onModuleInit(): Promise<void> {
    const issuedBefore = await this.tokens.any();
    const key = await this.serviceKeys.key(
      ORDER_LINK_TOKEN_KEY,
      issuedBefore ? () => legacyOrderLinkTokenKey(this.config.dataKey.key) : undefined,
    );
    this.secret = new OrderAccessTokenSecret(key);
  }

  /** A new link for the order; every earlier link of it stops working. */
  async issue(principal: BrandPrincipal, origin: AuditOrigin, orderId: string): Promise<string> {
    await this.assertOwnOrder(principal, orderId);
    return this.transactions.run(async (tx) => {
      await this.tokens.lockOrder(tx, orderId);
      const now = new Date();
      await this.tokens.revokeAll(tx, orderId, now);
      return this.urlFor(orderId, await this.create(tx, origin, orderId, now, true));
    });
  }

  /** The order's current link, for printing its QR code again; issued on first use. */
  async current(principal: BrandPrincipal, origin: AuditOrigin, orderId: string): Promise<string> {
    await this.assertOwnOrder(principal, orderId);
    return this.transactions.run(async (tx) => {
      await this.tokens.lockOrder(tx, orderId);
      const row = await this.tokens.findCurrent(tx, orderId);
      if (row !== null) {
        const token = this.secret.tokenFor(row);
        // A token derived under another key cannot be reproduced; it keeps working, and a new one is printed.
        if (hashOrderAccessToken(token) === row.tokenHash) return this.urlFor(orderId, token);
      }
      return this.urlFor(orderId, await this.create(tx, origin, orderId, new Date(), row !== null));
    });
  }

  async qrPng(principal: BrandPrincipal, origin: AuditOrigin, orderId: string, width?: number): Promise<Buffer> {
    return qrPng(await this.current(principal, origin, orderId), width);
  }

  async qrSvg(principal: BrandPrincipal, origin: AuditOrigin, orderId: string): Promise<Buffer> {
    return Buffer.from(await qrSvg(await this.current(principal, origin, orderId)), 'utf8');
  }

  /**
   * Admits a consumer's token for the order. A wrong, revoked or malformed token and an unknown
   * order fail alike, so the public API cannot be used to learn which orders exist.
   */
  async authorize(orderId: string, token: string | undefined): Promise<void> {
    if (token === undefined || !ORDER_ACCESS_TOKEN_RE.test(token) || orderId.length > 100) throw linkNotValid();
    const row = await this.tokens.findLive(orderId, hashOrderAccessToken(token));
    if (row === null) throw linkNotValid();
  }

  /** A new token, audited in the same transaction (by its row id, never the token). */
  private async create(tx: EntityManager, origin: AuditOrigin, orderId: string, now: Date, reissued: boolean): Promise<string> {
    const row = { id: randomUUID(), orderId, tokenHash: '', createdAt: now, revokedAt: null };
    const token = this.secret.tokenFor(row);
    row.tokenHash = hashOrderAccessToken(token);
    await this.tokens.insert(tx, row);
    await this.trail.record(tx, {
      ...origin,
      action: 'order-link.issued',
      target: `order:${orderId}`,
      details: { link: row.id, reissued },
    });
    return token;
  }

  /** `<VERIFIER_URL>#o=<id>&t=<token>&api=<PUBLIC_BASE_URL>`: the page may live on any origin and still find this API. */
  private urlFor(orderId: string, token: string): string {
    const fragment = new URLSearchParams({ o: orderId, t: token, api: this.config.http.publicBaseUrl });
    return `${this.config.verifier.url}#${fragment.toString()}`;
  }

  private async assertOwnOrder(principal: BrandPrincipal, orderId: string): Promise<void> {
    if ((await this.orders.find(orderId, principal.brandId)) === null) {
      throw new DomainError(ErrorCode.ORDER_NOT_FOUND, `No order ${orderId}`);
    }
  }
}

/** The one answer for every link that does not open an order. */
export function linkNotValid(): DomainError {
  return new DomainError(ErrorCode.ORDER_NOT_FOUND, 'This link does not open an order');
}
