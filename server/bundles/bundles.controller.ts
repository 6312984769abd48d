import { Controller, Get, Header, Param, Query, StreamableFile } from '@nestjs/common';
import { type AuditOrigin, CurrentAuditOrigin } from '../audit-trail/audit-origin';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { Access } from '../auth/access.decorator';
import { CurrentKey, type KeyCaller } from '../auth/brand-principal';
import { BundleDto, BundleQueryDto } from './bundles.dto';
import { BundlesService } from './bundles.service';
import { ParseOrderIdPipe } from '../orders/order-id.pipe';
import { NoStore } from '../http/no-store';

@ApiTags('orders')
// Arbitrator and auditor keys through a grant of the order or its brand; auditors without disclosure.
@Access('brand:read', 'arbitrator', 'auditor')
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
  // Written as text with each record as stored, so its canonical bytes are sent as they were hashed.
  @Header('Content-Type', 'application/json; charset=utf-8')
  bundle(
    @CurrentKey() caller: KeyCaller,
    @CurrentAuditOrigin() origin: AuditOrigin,
    @Param('id', ParseOrderIdPipe) orderId: string,
    @Query() query: BundleQueryDto,
  ): Promise<string> {
    return this.bundles.buildFor(caller, origin, orderId, query);
  }

  @Get('evidence.pdf')
  @ApiOperation({ summary: 'Evidence report (PDF) of the bundle, with its verification against the chain at export time' })
  @ApiProduces('application/pdf')
  @ApiNotFoundResponse({ description: 'No such order for this key' })
  async evidence(
    @CurrentKey() caller: KeyCaller,
    @CurrentAuditOrigin() origin: AuditOrigin,
    @Param('id', ParseOrderIdPipe) orderId: string,
    @Query() query: BundleQueryDto,
  ): Promise<StreamableFile> {
    const pdf = await this.bundles.evidencePdf(caller, origin, orderId, query);
    return new StreamableFile(pdf, { type: 'application/pdf', disposition: `attachment; filename="${orderId}-evidence.pdf"` });
  }
}
