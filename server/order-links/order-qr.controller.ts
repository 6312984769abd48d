import { Controller, Get, Param, Post, Query, StreamableFile } from '@nestjs/common';
import { type AuditOrigin, CurrentAuditOrigin } from '../audit-trail/audit-origin';
import { ApiCreatedResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Access } from '../auth/access.decorator';
import { type BrandPrincipal, CurrentBrand } from '../auth/brand-principal';
import { OrderLinksService } from './order-links.service';
import { OrderLinkDto, QrPngQueryDto } from './order-links.dto';
import { ParseOrderIdPipe } from '../orders/order-id.pipe';
import { NoStore } from '../http/no-store';

@ApiTags('orders')
// Showing the QR code issues the link on first use: every route here writes.
@Access('brand:write')
// Links carry a capability: neither they nor their QR codes may sit in caches.
@NoStore()
@Controller('v1/orders/:id')
export class OrderQrController {
  constructor(private readonly links: OrderLinksService) {}

  @Post('qr')
  @ApiOperation({ summary: 'Issue a new public verifier link for the order; earlier links stop working' })
  @ApiCreatedResponse({ type: OrderLinkDto })
  async issue(
    @CurrentBrand() brand: BrandPrincipal,
    @CurrentAuditOrigin() origin: AuditOrigin,
    @Param('id', ParseOrderIdPipe) orderId: string,
  ): Promise<OrderLinkDto> {
    return { url: await this.links.issue(brand, origin, orderId) };
  }

  @Get('qr.png')
  @ApiOperation({ summary: 'QR code (PNG) of the order’s current public link, issued on first use' })
  @ApiProduces('image/png')
  async png(
    @CurrentBrand() brand: BrandPrincipal,
    @CurrentAuditOrigin() origin: AuditOrigin,
    @Param('id', ParseOrderIdPipe) orderId: string,
    @Query() query: QrPngQueryDto,
  ): Promise<StreamableFile> {
    return new StreamableFile(await this.links.qrPng(brand, origin, orderId, query.size), { type: 'image/png' });
  }

  @Get('qr.svg')
  @ApiOperation({ summary: 'QR code (SVG) of the order’s current public link, issued on first use' })
  @ApiProduces('image/svg+xml')
  async svg(
    @CurrentBrand() brand: BrandPrincipal,
    @CurrentAuditOrigin() origin: AuditOrigin,
    @Param('id', ParseOrderIdPipe) orderId: string,
  ): Promise<StreamableFile> {
    return new StreamableFile(await this.links.qrSvg(brand, origin, orderId), { type: 'image/svg+xml' });
  }
}
