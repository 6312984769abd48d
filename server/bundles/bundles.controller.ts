import { Controller, Get, Param, Query, StreamableFile, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { BrandAuthGuard } from '../auth/brand-auth.guard';
import { type BrandPrincipal, BrandRoles, CurrentBrand } from '../auth/brand-principal';
import type { Bundle } from '../../proof/bundle';
import { BundleDto, BundleQueryDto } from './bundles.dto';
import { BundlesService } from './bundles.service';
import { ParseOrderIdPipe } from '../orders/order-id.pipe';
import { NoStore } from '../http/no-store';

@ApiTags('orders')
@ApiBearerAuth('brand-key')
@UseGuards(BrandAuthGuard)
@BrandRoles('brand', 'arbitrator')
// Bundles may disclose private values: never kept by browsers or shared caches.
@NoStore()
@Controller('v1/orders/:id')
export class BundlesController {
  constructor(private readonly bundles: BundlesService) {}

  @Get('bundle')
  @ApiOperation({ summary: "The order's proof bundle (ordertrace-bundle/1), verifiable by anyone against the chain" })
  @ApiOkResponse({ type: BundleDto })
  @ApiNotFoundResponse({ description: 'No such order for this key' })
  @ApiServiceUnavailableResponse({ description: 'The anchoring chain is not known yet' })
  bundle(
    @CurrentBrand() brand: BrandPrincipal,
    @Param('id', ParseOrderIdPipe) orderId: string,
    @Query() query: BundleQueryDto,
  ): Promise<Bundle> {
    return this.bundles.buildForBrand(brand, orderId, query);
  }

  @Get('evidence.pdf')
  @ApiOperation({ summary: 'Evidence report (PDF) of the bundle, with its verification against the chain at export time' })
  @ApiProduces('application/pdf')
  @ApiNotFoundResponse({ description: 'No such order for this key' })
  async evidence(
    @CurrentBrand() brand: BrandPrincipal,
    @Param('id', ParseOrderIdPipe) orderId: string,
    @Query() query: BundleQueryDto,
  ): Promise<StreamableFile> {
    const pdf = await this.bundles.evidencePdf(brand, orderId, query);
    return new StreamableFile(pdf, { type: 'application/pdf', disposition: `attachment; filename="${orderId}-evidence.pdf"` });
  }
}
