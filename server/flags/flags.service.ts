import { Injectable } from '@nestjs/common';
import type { KeyCaller } from '../auth/brand-principal';
import { OrdersService } from '../orders/orders.service';
import { flagsOfHistory, type OrderFlag, TRACKING_NUMBER_FIELDS, trackingNumberOf, trackingNumberReusedFlag } from './order-flags';

export interface OrderFlagListDto {
  items: OrderFlag[];
}

/** Risk flags computed from the stored, hashed history, so that what a risk team sees can be proven. */
@Injectable()
export class FlagsService {
  constructor(private readonly orders: OrdersService) {}

  /** GET /v1/orders/{id}/flags: the order's own history, and tracking numbers its brand's other orders carry too. */
  async orderFlags(caller: KeyCaller, orderId: string): Promise<OrderFlagListDto> {
    const order = await this.orders.findReadable(caller, orderId);
    const records = (await this.orders.listEvents(caller, orderId)).items.map((e) => e.record);
    const items = flagsOfHistory(records);
    const seen = new Set<string>();
    for (const record of records) {
      const trackingNo = trackingNumberOf(record);
      if (trackingNo === null || seen.has(trackingNo)) continue;
      seen.add(trackingNo);
      const others = await this.orders.otherOrdersWithEventData(order.brandId, orderId, TRACKING_NUMBER_FIELDS, trackingNo);
      if (others.length > 0) items.push(trackingNumberReusedFlag(orderId, record.seq, trackingNo, others));
    }
    return { items };
  }
}
