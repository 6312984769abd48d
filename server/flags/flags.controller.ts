import { Body, Controller, Get, Param, Put, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type AuditOrigin, CurrentAuditOrigin } from '../audit-trail/audit-origin';
import { Access } from '../auth/access.decorator';
import { type BrandPrincipal, CurrentBrand, CurrentKey, type KeyCaller } from '../auth/brand-principal';
import { NoStore } from '../http/no-store';
import { ParseOrderIdPipe } from '../orders/order-id.pipe';
import { FlagThresholdsService } from './flag-thresholds.service';
import { FlagThresholdsDto, ListFlagsQueryDto, OrderFlagListDto, RaisedFlagPageDto, SetFlagThresholdsDto } from './flags.dto';
import { FlagsService } from './flags.service';

@ApiTags('flags')
@NoStore()
@Controller()
export class FlagsController {
  constructor(
    private readonly flags: FlagsService,
    private readonly thresholds: FlagThresholdsService,
  ) {}

  @Get('v1/orders/:id/flags')
  @Access('brand:read', 'arbitrator', 'auditor')
  @ApiOperation({
    summary:
      "Risk flags from the order's stored history (backdated or out-of-order events, implausible delivery speed, repeated address changes, a tracking number on other orders, and what the background evaluator raised), each with its evidence and an explanation in English and Chinese",
  })
  @ApiOkResponse({ type: OrderFlagListDto })
  orderFlags(@CurrentKey() caller: KeyCaller, @Param('id', ParseOrderIdPipe) orderId: string): Promise<OrderFlagListDto> {
    return this.flags.orderFlags(caller, orderId);
  }

  @Get('v1/flags')
  @Access('brand:read', 'arbitrator', 'auditor')
  @ApiOperation({
    summary:
      'The flags raised by the background evaluator, oldest first: the brand’s own, or for an arbitrator or auditor key those of the orders its grants open',
  })
  @ApiOkResponse({ type: RaisedFlagPageDto })
  list(@CurrentKey() caller: KeyCaller, @Query() query: ListFlagsQueryDto): Promise<RaisedFlagPageDto> {
    return this.flags.list(caller, query);
  }

  @Get('v1/brands/:id/flag-thresholds')
  @Access('brand:admin')
  @ApiOperation({ summary: "The thresholds the brand's flags are raised with (its own, else the defaults)" })
  @ApiOkResponse({ type: FlagThresholdsDto })
  getThresholds(@CurrentBrand() admin: BrandPrincipal, @Param('id') brandId: string): Promise<FlagThresholdsDto> {
    return this.thresholds.get(admin, brandId);
  }

  @Put('v1/brands/:id/flag-thresholds')
  @Access('brand:admin')
  @ApiOperation({ summary: "Sets the brand's flag thresholds; a field left out takes its default" })
  @ApiOkResponse({ type: FlagThresholdsDto })
  setThresholds(
    @CurrentBrand() admin: BrandPrincipal,
    @CurrentAuditOrigin() origin: AuditOrigin,
    @Param('id') brandId: string,
    @Body() dto: SetFlagThresholdsDto,
  ): Promise<FlagThresholdsDto> {
    return this.thresholds.set(admin, origin, brandId, dto);
  }
}
