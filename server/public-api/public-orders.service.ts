import { Injectable } from '@nestjs/common';
import { ChainConnection } from '../anchoring/chain-connection';
import { BrandsRepository } from '../brands/brands.repository';
import { BundlesService } from '../bundles/bundles.service';
import { OrdersService } from '../orders/orders.service';
import { isOrderStatus, REQUESTS_OPEN_IN, transition } from '../../proof/order-lifecycle';
import { invalidField } from '../errors/domain-error';
import type { JsonValue } from '../../proof/canonical';
import { REQUEST_DATA_KEY, REQUESTED_ADDRESS_FIELD } from '../../proof/record';
import { linkNotValid, OrderLinksService } from '../order-links/order-links.service';
import { TrustAnchorsService } from './trust-anchors.service';
import type { ChangeRequestConfirmationDto, ChangeRequestDto, PublicChainDto, PublicOrderDto, ReceiptConfirmationDto } from './public.dto';

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
      requests: { allowed: isOrderStatus(order.status) && REQUESTS_OPEN_IN.includes(order.status) },
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

  /**
   * POST /public/orders/{id}/requests: the consumer asks to change the delivery address (sealed:
   * only its commitment enters the record) or to hold the parcel, before it is shipped. Recorded as
   * `change_requested` with source `consumer`; the planner refuses it once the order is shipped.
   */
  async requestChange(orderId: string, token: string | undefined, dto: ChangeRequestDto): Promise<ChangeRequestConfirmationDto> {
    const sealed = changeRequestSealed(dto);
    await this.links.authorize(orderId, token);
    const event = await this.orders.appendEvent({ orderId }, 'consumer', {
      type: 'change_requested',
      data: { [REQUEST_DATA_KEY]: dto.type },
      sealed,
    });
    return { seq: event.seq, type: 'change_requested', request: dto.type, recorded: event.recorded, leaf: event.leaf };
  }
}

/** The sealed fields of a change request: the new address for `address`, none for `hold`. */
function changeRequestSealed(dto: ChangeRequestDto): { [name: string]: JsonValue } {
  const sealed = dto.sealed ?? {};
  const names = Object.keys(sealed);
  if (dto.type === 'hold') {
    if (names.length > 0) throw invalidField('sealed', 'must be absent for a hold request');
    return {};
  }
  const extra = names.find((name) => name !== REQUESTED_ADDRESS_FIELD);
  if (extra !== undefined)
    throw invalidField(`sealed.${extra}`, `is not a field of an address request; send only sealed.${REQUESTED_ADDRESS_FIELD}`);
  const address = sealed[REQUESTED_ADDRESS_FIELD];
  const empty =
    address === undefined ||
    (typeof address === 'string' && address.trim() === '') ||
    (typeof address === 'object' && address !== null && !Array.isArray(address) && Object.keys(address).length === 0);
  if (empty || (typeof address !== 'string' && (typeof address !== 'object' || address === null || Array.isArray(address)))) {
    throw invalidField(`sealed.${REQUESTED_ADDRESS_FIELD}`, 'must be the new address: a non-empty string or object');
  }
  return { [REQUESTED_ADDRESS_FIELD]: address };
}
