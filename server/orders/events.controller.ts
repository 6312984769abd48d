import { Body, Controller, Get, Param, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { BrandAuthGuard } from '../auth/brand-auth.guard';
import { type BrandPrincipal, CurrentBrand } from '../auth/brand-principal';
import { IDEMPOTENCY_KEY_HEADER, IdempotencyKey, type IdempotentRequest } from '../idempotency/idempotency-key.decorator';
import { AppendEventDto, EventDto, EventListDto } from './events.dto';
import { OrdersService } from './orders.service';
import { ParseOrderIdPipe } from './order-id.pipe';
import { NoStore } from '../http/no-store';

@ApiTags('orders')
@ApiBearerAuth('brand-key')
@UseGuards(BrandAuthGuard)
@NoStore()
@Controller('v1/orders/:id/events')
export class EventsController {
  constructor(private readonly orders: OrdersService) {}

  @Post()
  @ApiOperation({ summary: 'Append a lifecycle event; it is hashed and chained to the previous one' })
  @ApiHeader({ name: IDEMPOTENCY_KEY_HEADER, required: false, description: 'Retry-safe: the same key and body return the first response' })
  @ApiCreatedResponse({ type: EventDto })
  @ApiConflictResponse({ description: 'Illegal transition: the problem lists currentState and allowed' })
  append(
    @CurrentBrand() brand: BrandPrincipal,
    @Param('id', ParseOrderIdPipe) orderId: string,
    @Body() dto: AppendEventDto,
    @IdempotencyKey() idempotency: IdempotentRequest | null,
  ): Promise<EventDto> {
    return this.orders.appendForBrand(brand, orderId, dto, idempotency);
  }

  @Get()
  @ApiOperation({ summary: "List an order's events in seq order" })
  @ApiOkResponse({ type: EventListDto })
  list(@CurrentBrand() brand: BrandPrincipal, @Param('id', ParseOrderIdPipe) orderId: string): Promise<EventListDto> {
    return this.orders.listEvents(brand, orderId);
  }
}
