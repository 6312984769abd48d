import { Injectable } from '@nestjs/common';
import { ChainUnavailableError } from '../../proof/errors';
import { ChainConnection } from '../anchoring/chain-connection';
import { BrandsRepository } from '../brands/brands.repository';
import { BundlesService } from '../bundles/bundles.service';
import { AppConfig } from '../config/app-config';
import { OrdersService } from '../orders/orders.service';
import { isOrderStatus, transition } from '../orders/order-lifecycle';
import { linkNotValid, OrderLinksService } from '../order-links/order-links.service';
import type { PublicChainDto, PublicOrderDto, ReceiptConfirmationDto } from './public.dto';

/**
 * What a consumer's link opens: the order's public bundle (never a private value), the chain to
 * check it against, and the receipt confirmation. The page verifies the bundle itself; nothing
 * here is believed by it.
 */
@Injectable()
export class PublicOrdersService {
  constructor(
    private readonly config: AppConfig,
    private readonly links: OrderLinksService,
    private readonly brands: BrandsRepository,
    private readonly orders: OrdersService,
    private readonly bundles: BundlesService,
    private readonly chain: ChainConnection,
  ) {}

  /** GET /public/chain: the chain and contract the service anchors on, and the RPC the page may read. */
  async publicChain(): Promise<PublicChainDto> {
    const identity = await this.chain.requireIdentity();
    return { chainId: identity.chainId, contract: identity.contract.toLowerCase(), rpcUrl: this.publicRpcUrl() };
  }

  /** The endpoint browsers read the chain through: PUBLIC_RPC_URL, else the service's own node. */
  private publicRpcUrl(): string {
    const url = this.config.chain.publicRpcUrl ?? this.chain.rpcUrl;
    if (url === null) throw new ChainUnavailableError('The chain node is not running');
    return url;
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
      // The page checks the bundle against the chain the bundle names, read through this endpoint.
      chain: { chainId: bundle.chain.chainId, contract: bundle.chain.contract, rpcUrl: this.publicRpcUrl() },
      receipt: { allowed: isOrderStatus(order.status) && transition(order.status, 'received').allowed },
    };
  }

  /** POST /public/orders/{id}/receipt: the consumer's `received`, hashed and anchored like any event. */
  async confirmReceipt(orderId: string, token: string | undefined): Promise<ReceiptConfirmationDto> {
    await this.links.authorize(orderId, token);
    const event = await this.orders.appendEvent({ orderId }, { type: 'received', data: { confirmedBy: 'consumer' } });
    return { seq: event.seq, type: 'received', recorded: event.recorded, leaf: event.leaf };
  }
}
