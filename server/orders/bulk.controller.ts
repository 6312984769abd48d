import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access } from '../auth/access.decorator';
import { type BrandPrincipal, CurrentBrand } from '../auth/brand-principal';
import { BodyLimit } from '../http/json-body-parser';
import { IDEMPOTENCY_KEY_HEADER, IdempotencyKey, type IdempotentRequest } from '../idempotency/idempotency-key.decorator';
import { BulkRequestDto, BulkResponseDto } from './bulk.dto';
import { OrdersService } from './orders.service';
import { NoStore } from '../http/no-store';

@ApiTags('orders')
@NoStore()
@Controller('v1/bulk')
export class BulkController {
  constructor(private readonly orders: OrdersService) {}

  @Post()
  @Access('brand:write')
  @HttpCode(200)
  @BodyLimit('bulk')
  @ApiOperation({ summary: 'Create orders and append events in one request, each item on its own (up to 1,000 items)' })
  @ApiHeader({
    name: IDEMPOTENCY_KEY_HEADER,
    required: false,
    description: 'Retry-safe for the whole request: no item is ever applied twice',
  })
  @ApiOkResponse({ type: BulkResponseDto, description: 'One result per item, in order: status 201 with the order or event, or a problem' })
  apply(
    @CurrentBrand() brand: BrandPrincipal,
    @Body() body: BulkRequestDto,
    @IdempotencyKey() idempotency: IdempotentRequest | null,
  ): Promise<BulkResponseDto> {
    return this.orders.bulk(brand, body, idempotency);
  }
}
