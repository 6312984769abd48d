import { Injectable } from '@nestjs/common';
import { ChainConnection } from '../anchoring/chain-connection';
import { BrandsRepository } from '../brands/brands.repository';
import { BundlesService } from '../bundles/bundles.service';
import { OrdersService } from '../orders/orders.service';
import { isOrderStatus, transition } from '../../proof/order-lifecycle';
import { linkNotValid, OrderLinksService } from '../order-links/order-links.service';
import { TrustAnchorsService } from './trust-anchors.service';
import type { PublicChainDto, PublicOrderDto, ReceiptConfirmationDto } from './public.dto';

/**
 * What a consumer's link opens: the order's public bundle (never a private value), the chain to
 * check it against, and the receipt confirmation. The page verifies the bundle itself; nothing
 * here is believed by it.
 */
@Injectable()
export class PublicOrdersService {
  constructor(
    private readonly links: OrderLinksService,
    private readonly brands: BrandsRepository,
    private readonly orders: OrdersService,
    private readonly bundles: BundlesService,
    private readonly chain: ChainConnection,
    private readonly trust: TrustAnchorsService,
  ) {}

  /** GET /public/chain: the chain and contract the service anchors on, and the RPC the page may read. */
  async publicChain(): Promise<PublicChainDto> {
    const identity = await this.chain.requireIdentity();
    return { chainId: identity.chainId, contract: identity.contract.toLowerCase(), rpcUrl: this.publicRpcUrl() };
  }

  /** The endpoint browsers read the chain through: PUBLIC_RPC_URL, else the service's read-only proxy. */
  private publicRpcUrl(): string {
    return this.trust.publicRpcUrl();
  }

  /** GET /public/orders/{id}. */
  async publicOrder(orderId: string, token: string | undefined): Promise<PublicOrderDto> {
    await this.links.authorize(orderId, token);
    const order = await this.orders.find(orderId);
    if (order === null) throw linkNotValid();
    const [brand, bundle] = await Promise.all([this.brands.findById(order.brandId), this.bundles.build(orderId, { disclose: [] })]);
    return {
      bundle,
      brandName: brand?.name ?? bundle.brand,
      // For older pages: current pages take chain, contract and endpoints from their trust anchors, never from here.
      chain: { chainId: bundle.chain.chainId, contract: bundle.chain.contract, rpcUrl: this.publicRpcUrl() },
      receipt: { allowed: isOrderStatus(order.status) && transition(order.status, 'received').allowed },
    };
  }

  /**
   * POST /public/orders/{id}/receipt: the consumer's `received`, hashed and anchored like any
   * event. Its record says `"ordertrace:source": "consumer"`, which no brand input can contain.
   */
  async confirmReceipt(orderId: string, token: string | undefined): Promise<ReceiptConfirmationDto> {
    await this.links.authorize(orderId, token);
    const event = await this.orders.appendEvent({ orderId }, 'consumer', { type: 'received' });
    return { seq: event.seq, type: 'received', recorded: event.recorded, leaf: event.leaf };
  }
}
