import { Body, Controller, Get, Header, Param, Post, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { BrandAuthGuard } from '../auth/brand-auth.guard';
import { type BrandPrincipal, CurrentBrand } from '../auth/brand-principal';
import { BodyLimit } from '../http/json-body-parser';
import { type EpcisImportResult, EpcisService } from './epcis.service';

@ApiTags('epcis')
@ApiBearerAuth('brand-key')
@UseGuards(BrandAuthGuard)
@Controller()
export class EpcisController {
  constructor(private readonly epcis: EpcisService) {}

  @Get('v1/orders/:id/epcis')
  @Header('Content-Type', 'application/ld+json')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: "The order's history as an EPCIS 2.0 document: one ObjectEvent per lifecycle event, its CBV 2.0 Event Hash ID as eventID",
  })
  @ApiOkResponse({ description: 'An EPCISDocument (JSON-LD)', schema: { type: 'object', additionalProperties: true } })
  exportOrder(@CurrentBrand() brand: BrandPrincipal, @Param('id') orderId: string): Promise<Record<string, unknown>> {
    return this.epcis.exportOrder(brand, orderId);
  }

  @Post('v1/epcis')
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
