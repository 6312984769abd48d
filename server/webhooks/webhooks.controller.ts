import { NoStore } from '../http/no-store';
import { type AuditOrigin, CurrentAuditOrigin } from '../audit-trail/audit-origin';
import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access } from '../auth/access.decorator';
import { type BrandPrincipal, CurrentBrand } from '../auth/brand-principal';
import {
  CreateWebhookDto,
  RotateWebhookSecretDto,
  WebhookDeliveryDto,
  WebhookDeliveryListDto,
  WebhookListDto,
  WebhookWithSecretDto,
} from './webhooks.dto';
import { WebhooksService } from './webhooks.service';

@ApiTags('webhooks')
@NoStore()
@Controller('v1/webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post()
  @Access('brand:admin')
  @ApiOperation({ summary: 'Register an endpoint for signed webhook messages; its secret is shown once' })
  @ApiCreatedResponse({ type: WebhookWithSecretDto })
  create(
    @CurrentBrand() admin: BrandPrincipal,
    @CurrentAuditOrigin() origin: AuditOrigin,
    @Body() dto: CreateWebhookDto,
  ): Promise<WebhookWithSecretDto> {
    return this.webhooks.create(admin, origin, dto);
  }

  @Get()
  @Access('brand:admin')
  @ApiOperation({ summary: "The brand's webhook endpoints" })
  @ApiOkResponse({ type: WebhookListDto })
  list(@CurrentBrand() admin: BrandPrincipal): Promise<WebhookListDto> {
    return this.webhooks.list(admin);
  }

  @Delete(':id')
  @Access('brand:admin')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete an endpoint with its pending messages and delivery log' })
  remove(@CurrentBrand() admin: BrandPrincipal, @CurrentAuditOrigin() origin: AuditOrigin, @Param('id') id: string): Promise<void> {
    return this.webhooks.remove(admin, origin, id);
  }

  @Post(':id/rotate-secret')
  @Access('brand:admin')
  @HttpCode(200)
  @ApiOperation({ summary: 'A new signing secret (shown once); the previous one signs too for the overlap' })
  @ApiOkResponse({ type: WebhookWithSecretDto })
  rotateSecret(
    @CurrentBrand() admin: BrandPrincipal,
    @CurrentAuditOrigin() origin: AuditOrigin,
    @Param('id') id: string,
    @Body() dto: RotateWebhookSecretDto,
  ): Promise<WebhookWithSecretDto> {
    return this.webhooks.rotateSecret(admin, origin, id, dto);
  }

  @Get(':id/deliveries')
  @Access('brand:admin')
  @ApiOperation({ summary: "The endpoint's latest messages with every delivery attempt (status, duration, error class)" })
  @ApiOkResponse({ type: WebhookDeliveryListDto })
  deliveries(@CurrentBrand() admin: BrandPrincipal, @Param('id') id: string): Promise<WebhookDeliveryListDto> {
    return this.webhooks.deliveries(admin, id);
  }

  @Post(':id/deliveries/:deliveryId/retry')
  @Access('brand:admin')
  @HttpCode(202)
  @ApiOperation({ summary: 'Send a message again now (same webhook-id); enables a disabled endpoint' })
  @ApiAcceptedResponse({ type: WebhookDeliveryDto })
  retry(
    @CurrentBrand() admin: BrandPrincipal,
    @Param('id') id: string,
    @Param('deliveryId') deliveryId: string,
  ): Promise<WebhookDeliveryDto> {
    return this.webhooks.retry(admin, id, deliveryId);
  }
}
