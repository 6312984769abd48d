import { Injectable } from '@nestjs/common';
import type { KeyCaller } from '../auth/brand-principal';
import { OrdersService } from '../orders/orders.service';
import { FlagThresholdsService } from './flag-thresholds.service';
import { type ListFlagsQueryDto, mapOrderFlag, mapRaisedFlag, type OrderFlagListDto, type RaisedFlagPageDto } from './flags.dto';
import { FlagsRepository } from './flags.repository';
import { type FlagRule, flagsOfHistory, type OrderFlag, trackingNumberOf, trackingNumberReusedFlag } from './order-flags';

const DEFAULT_PAGE_SIZE = 100;

/** The rules GET /v1/orders/{id}/flags computes itself from the history it reads. */
const COMPUTED_ON_READ: ReadonlySet<FlagRule> = new Set<FlagRule>([
  'backdated',
  'out_of_time_order',
  'implausible_speed',
  'repeated_address_changes',
  'tracking_number_reused',
]);

/** Risk flags computed from the stored, hashed history, so that what a risk team sees can be proven. */
@Injectable()
export class FlagsService {
  constructor(
    private readonly orders: OrdersService,
    private readonly repository: FlagsRepository,
    private readonly thresholds: FlagThresholdsService,
  ) {}

  /**
   * GET /v1/orders/{id}/flags: the rules on the order's own history and the tracking numbers its
   * brand's other orders carry too, computed now with the brand's thresholds, then the flags the
   * evaluator raised that these do not repeat (rules that need sealed values or link history).
   */
  async orderFlags(caller: KeyCaller, orderId: string): Promise<OrderFlagListDto> {
    const order = await this.orders.findReadable(caller, orderId);
    const records = (await this.orders.listEvents(caller, orderId)).items.map((e) => e.record);
    const items: OrderFlag[] = flagsOfHistory(records, await this.thresholds.forBrand(order.brandId));
    const seen = new Set<string>();
    for (const record of records) {
      const trackingNo = trackingNumberOf(record);
      if (trackingNo === null || seen.has(trackingNo)) continue;
      seen.add(trackingNo);
      const holders = await this.repository.ordersWithTrackingNumber(order.brandId, trackingNo);
      const others = holders.filter((h) => h.orderId !== orderId).map((h) => h.orderId);
      if (others.length > 0) items.push(trackingNumberReusedFlag(orderId, record.seq, trackingNo, others));
    }
    // Rules computed here answer for themselves; the evaluator's raises of them may rest on older thresholds.
    for (const stored of await this.repository.ofOrder(orderId)) {
      if (!COMPUTED_ON_READ.has(stored.rule)) items.push(stored);
    }
    return { items: items.map(mapOrderFlag) };
  }

  /** GET /v1/flags: the brand's flags for its keys; for an arbitrator or auditor key, those of the orders its live grants open. */
  async list(caller: KeyCaller, query: ListFlagsQueryDto): Promise<RaisedFlagPageDto> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const rows = await this.repository.page(
      caller.brandId !== null ? { brandId: caller.brandId } : { granteeKeyId: caller.keyId },
      query.after ?? '0',
      limit,
    );
    const items = rows.slice(0, limit);
    return { items: items.map(mapRaisedFlag), next: rows.length > limit ? items[items.length - 1].id : null };
  }
}
