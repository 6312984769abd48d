import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access } from '../auth/access.decorator';
import { type BrandPrincipal, CurrentBrand, CurrentKey, type KeyCaller } from '../auth/brand-principal';
import { IDEMPOTENCY_KEY_HEADER, IdempotencyKey, type IdempotentRequest } from '../idempotency/idempotency-key.decorator';
import { CreateOrderDto, ListOrdersQueryDto, OrderDto, OrderPageDto } from './orders.dto';
import { OrdersService } from './orders.service';
import { ParseOrderIdPipe } from './order-id.pipe';
import { NoStore } from '../http/no-store';

@ApiTags('orders')
@NoStore()
@Controller('v1/orders')
export class OrdersController {
  constructor(private readonly orders: OrdersService) {}

  @Post()
  @Access('brand:write')
  @ApiOperation({ summary: 'Create an order and its created event' })
  @ApiHeader({ name: IDEMPOTENCY_KEY_HEADER, required: false, description: 'Retry-safe: the same key and body return the first response' })
  @ApiCreatedResponse({ type: OrderDto })
  @ApiConflictResponse({ description: 'The reference is already used by another order of the brand' })
  create(
    @CurrentBrand() brand: BrandPrincipal,
    @Body() dto: CreateOrderDto,
    @IdempotencyKey() idempotency: IdempotentRequest | null,
  ): Promise<OrderDto> {
    return this.orders.create(brand, dto, idempotency);
  }

  @Get()
  @Access('brand:read', 'arbitrator', 'auditor')
  @ApiOperation({
    summary: 'List orders, newest first, with cursor pagination (arbitrator and auditor keys: the orders their grants open)',
  })
  @ApiOkResponse({ type: OrderPageDto })
  list(@CurrentKey() caller: KeyCaller, @Query() query: ListOrdersQueryDto): Promise<OrderPageDto> {
    return this.orders.list(caller, query);
  }

  @Get(':id')
  @Access('brand:read', 'arbitrator', 'auditor')
  @ApiOperation({ summary: 'Get an order (arbitrator and auditor keys: through a grant of its brand)' })
  @ApiOkResponse({ type: OrderDto })
  get(@CurrentKey() caller: KeyCaller, @Param('id', ParseOrderIdPipe) orderId: string): Promise<OrderDto> {
    return this.orders.get(caller, orderId);
  }
}
