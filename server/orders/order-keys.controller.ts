import { type AuditOrigin, CurrentAuditOrigin } from '../audit-trail/audit-origin';
import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access } from '../auth/access.decorator';
import { type BrandPrincipal, CurrentBrand } from '../auth/brand-principal';
import { DataKeyRotationDto, OrderErasureDto } from './order-keys.dto';
import { OrderKeysService } from './order-keys.service';
import { NoStore } from '../http/no-store';
import { ParseOrderIdPipe } from './order-id.pipe';

@ApiTags('orders')
@Access('brand:admin')
@NoStore()
@Controller('v1/orders/:id')
export class OrderErasureController {
  constructor(private readonly keys: OrderKeysService) {}

  @Post('erase')
  @HttpCode(200)
  @ApiOperation({
    summary: "Erase the order's private fields (values and salts) for good; commitments stay, so every proof still verifies",
  })
  @ApiOkResponse({ type: OrderErasureDto })
  @ApiNotFoundResponse({ description: 'No such order for this key' })
  erase(
    @CurrentBrand() brand: BrandPrincipal,
    @CurrentAuditOrigin() origin: AuditOrigin,
    @Param('id', ParseOrderIdPipe) orderId: string,
  ): Promise<OrderErasureDto> {
    return this.keys.erase(brand, origin, orderId);
  }
}

@ApiTags('data key (admin)')
@Access.operator()
@NoStore()
@Controller('v1/admin/data-key')
export class DataKeyController {
  constructor(private readonly keys: OrderKeysService) {}

  @Post('rotate')
  @HttpCode(200)
  @ApiOperation({ summary: 'Re-wrap every key still under an earlier data key (ORDERTRACE_DATA_KEY_PREVIOUS) with the current one' })
  @ApiOkResponse({ type: DataKeyRotationDto })
  rotate(@CurrentAuditOrigin() origin: AuditOrigin): Promise<DataKeyRotationDto> {
    return this.keys.rotateDataKey(origin);
  }
}
