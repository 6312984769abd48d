import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access } from '../auth/access.decorator';
import { type BrandPrincipal, CurrentBrand, CurrentKey, type KeyCaller } from '../auth/brand-principal';
import { IDEMPOTENCY_KEY_HEADER, IdempotencyKey, type IdempotentRequest } from '../idempotency/idempotency-key.decorator';
import { AppendEventDto, EventDto, EventListDto } from './events.dto';
import { OrdersService } from './orders.service';
import { ParseOrderIdPipe } from './order-id.pipe';
import { NoStore } from '../http/no-store';

@ApiTags('orders')
@NoStore()
@Controller('v1/orders/:id/events')
export class EventsController {
  constructor(private readonly orders: OrdersService) {}

  @Post()
  @Access('brand:write')
  @ApiOperation({
    summary: 'Append a lifecycle event; it is hashed and chained to the previous one',
    description:
      "Answers a consumer's change request with address_changed, hold_confirmed or change_declined and data.request = the " +
      "request's seq; change_requested itself is recorded from the consumer's page only.",
  })
  @ApiHeader({ name: IDEMPOTENCY_KEY_HEADER, required: false, description: 'Retry-safe: the same key and body return the first response' })
  @ApiCreatedResponse({ type: EventDto })
  @ApiConflictResponse({
    description:
      'ILLEGAL_TRANSITION (the problem lists currentState and allowed), HOLD_PENDING (shipped while a hold is pending) or ' +
      'CHANGE_REQUEST_NOT_PENDING (data.request names no pending request)',
  })
  append(
    @CurrentBrand() brand: BrandPrincipal,
    @Param('id', ParseOrderIdPipe) orderId: string,
    @Body() dto: AppendEventDto,
    @IdempotencyKey() idempotency: IdempotentRequest | null,
  ): Promise<EventDto> {
    return this.orders.appendForBrand(brand, orderId, dto, idempotency);
  }

  @Get()
  @Access('brand:read', 'arbitrator', 'auditor')
  @ApiOperation({ summary: "List an order's events in seq order: records and hashes, sealed fields as commitments only" })
  @ApiOkResponse({ type: EventListDto })
  list(@CurrentKey() caller: KeyCaller, @Param('id', ParseOrderIdPipe) orderId: string): Promise<EventListDto> {
    return this.orders.listEvents(caller, orderId);
  }
}
