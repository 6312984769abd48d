import { Controller, Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access } from '../auth/access.decorator';
import { CurrentKey, type KeyCaller } from '../auth/brand-principal';
import { NoStore } from '../http/no-store';
import { ParseOrderIdPipe } from '../orders/order-id.pipe';
import { FlagsService, type OrderFlagListDto } from './flags.service';

@ApiTags('flags')
@Access('brand:read', 'arbitrator', 'auditor')
@NoStore()
@Controller('v1/orders/:id/flags')
export class FlagsController {
  constructor(private readonly flags: FlagsService) {}

  @Get()
  @ApiOperation({
    summary:
      "Risk flags from the order's stored history (backdated or out-of-order events, implausible delivery speed, repeated address changes, a tracking number on other orders), each with its evidence and an explanation in English and Chinese",
  })
  @ApiOkResponse({ description: '`items`: the flags, each `{rule, severity, order, seqs, explanation: {en, zh-CN}}`' })
  list(@CurrentKey() caller: KeyCaller, @Param('id', ParseOrderIdPipe) orderId: string): Promise<OrderFlagListDto> {
    return this.flags.orderFlags(caller, orderId);
  }
}
