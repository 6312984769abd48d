import { Body, Controller, Get, Header, Param, Post } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { Access } from '../auth/access.decorator';
import { type BrandPrincipal, CurrentBrand, CurrentKey, type KeyCaller } from '../auth/brand-principal';
import { BodyLimit } from '../http/json-body-parser';
import { type EpcisImportResult, EpcisService } from './epcis.service';
import { NoStore } from '../http/no-store';
import { ParseOrderIdPipe } from '../orders/order-id.pipe';

@ApiTags('epcis')
@NoStore()
@Controller()
export class EpcisController {
  constructor(private readonly epcis: EpcisService) {}

  @Get('v1/orders/:id/epcis')
  @Access('brand:read', 'arbitrator', 'auditor')
  @Header('Content-Type', 'application/ld+json')
  @ApiOperation({
    summary: "The order's history as an EPCIS 2.0 document: one ObjectEvent per lifecycle event, its CBV 2.0 Event Hash ID as eventID",
  })
  @ApiOkResponse({ description: 'An EPCISDocument (JSON-LD)', schema: { type: 'object', additionalProperties: true } })
  exportOrder(@CurrentKey() caller: KeyCaller, @Param('id', ParseOrderIdPipe) orderId: string): Promise<Record<string, unknown>> {
    return this.epcis.exportOrder(caller, orderId);
  }

  @Post('v1/epcis')
  @Access('brand:write')
  @BodyLimit('bulk')
  @ApiOperation({
    summary:
      "Import an EPCISDocument: ObjectEvents naming the brand's orders (urn:ordertrace:order:<id> business transactions) become lifecycle events, all or none; events imported before are skipped",
  })
  @ApiBody({
    description: 'An EPCIS 2.0 EPCISDocument (application/json or application/ld+json)',
    schema: { type: 'object', additionalProperties: true },
  })
  @ApiCreatedResponse({ description: '`imported`: the events stored; `skipped`: eventIDs imported before' })
  @ApiUnprocessableEntityResponse({ description: 'Events that map to no lifecycle event or order, all listed in `errors`' })
  importDocument(@CurrentBrand() brand: BrandPrincipal, @Body() document: unknown): Promise<EpcisImportResult> {
    return this.epcis.importDocument(brand, document);
  }
}
