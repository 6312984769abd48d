import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access } from '../auth/access.decorator';
import { type BrandPrincipal, CurrentBrand } from '../auth/brand-principal';
import { NoStore } from '../http/no-store';
import { StatsDto, StatsQueryDto } from './stats.dto';
import { StatsService } from './stats.service';

@ApiTags('stats')
@NoStore()
@Controller('v1/stats')
export class StatsController {
  constructor(private readonly stats: StatsService) {}

  @Get()
  @Access('brand:read')
  @ApiOperation({
    summary:
      "The brand console's figures over the orders created in a range of days: orders per day, the lifecycle funnel, paid-to-delivered median and p95, on-time share against data.promisedDelivery, anchoring lag and balance",
  })
  @ApiOkResponse({ type: StatsDto })
  get(@CurrentBrand() brand: BrandPrincipal, @Query() query: StatsQueryDto): Promise<StatsDto> {
    return this.stats.brandStats(brand.brandId, query);
  }
}
