import type { AuditOrigin } from '../audit-trail/audit-origin';
import { AuditTrailService } from '../audit-trail/audit-trail.service';
import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { isUUID } from 'class-validator';
import type { BrandPrincipal } from '../auth/brand-principal';
import { AppConfig } from '../config/app-config';
import { DomainError, ErrorCode, invalidField } from '../errors/domain-error';
import { resolveAllowedAddresses, WebhookAddressError } from './webhook-address-policy';
import { WebhookSecretCipher } from './webhook-secret-cipher';
import { newWebhookSecret } from './webhook-signature';
import { WebhookSubscriptions } from './webhook-subscriptions';
import { WEBHOOK_MESSAGE_TYPES } from './webhook-types';
import {
  type CreateWebhookDto,
  mapDelivery,
  mapWebhook,
  type RotateWebhookSecretDto,
  type WebhookDeliveryDto,
  type WebhookDeliveryListDto,
  type WebhookListDto,
  type WebhookWithSecretDto,
} from './webhooks.dto';
import { type WebhookEndpointRow, WebhooksRepository } from './webhooks.repository';

/** Deliveries GET …/deliveries lists, newest first. */
const DELIVERIES_LISTED = 100;
const DEFAULT_OVERLAP_SECONDS = 86_400;

/** A brand's webhook endpoints: registration (with its address checked), secrets, and the delivery log. */
@Injectable()
export class WebhooksService {
  constructor(
    private readonly config: AppConfig,
    private readonly repository: WebhooksRepository,
    private readonly cipher: WebhookSecretCipher,
    private readonly subscriptions: WebhookSubscriptions,
    private readonly trail: AuditTrailService,
  ) {}

  /** POST /v1/webhooks: the secret is in this answer only. */
  async create(admin: BrandPrincipal, origin: AuditOrigin, dto: CreateWebhookDto): Promise<WebhookWithSecretDto> {
    const url = await this.checkedUrl(dto.url);
    const id = randomUUID();
    const secret = newWebhookSecret();
    const types = dto.types === undefined ? null : WEBHOOK_MESSAGE_TYPES.filter((t) => dto.types!.includes(t));
    const endpoint = await this.repository.insertEndpoint({
      id,
      brandId: admin.brandId,
      url,
      types,
      secretSealed: this.cipher.encrypt(secret, id),
    });
    await this.subscriptions.changed();
    await this.trail.record(null, {
      ...origin,
      action: 'webhook.created',
      target: `webhook:${id}`,
      details: { brand: admin.brandId, url, types },
    });
    return { ...mapWebhook(endpoint), secret };
  }

  async list(admin: BrandPrincipal): Promise<WebhookListDto> {
    return { items: (await this.repository.listEndpoints(admin.brandId)).map(mapWebhook) };
  }

  async remove(admin: BrandPrincipal, origin: AuditOrigin, id: string): Promise<void> {
    if (!isUUID(id) || !(await this.repository.deleteEndpoint(admin.brandId, id))) throw notFound(admin, id);
    await this.subscriptions.changed();
    await this.trail.record(null, { ...origin, action: 'webhook.deleted', target: `webhook:${id}`, details: { brand: admin.brandId } });
  }

  /** A new secret; the previous one keeps signing (beside it) for the overlap. */
  async rotateSecret(admin: BrandPrincipal, origin: AuditOrigin, id: string, dto: RotateWebhookSecretDto): Promise<WebhookWithSecretDto> {
    const endpoint = await this.endpoint(admin, id);
    const secret = newWebhookSecret();
    const previous = this.cipher.decrypt(endpoint.secretSealed, id);
    const until = new Date(Date.now() + (dto.overlapSeconds ?? DEFAULT_OVERLAP_SECONDS) * 1000);
    const rotated = await this.repository.rotateSecret(
      admin.brandId,
      id,
      this.cipher.encrypt(secret, id),
      this.cipher.encrypt(previous, id),
      until,
    );
    if (rotated === null) throw notFound(admin, id);
    await this.trail.record(null, {
      ...origin,
      action: 'webhook.secret-rotated',
      target: `webhook:${id}`,
      details: { brand: admin.brandId, previousValidUntil: until.toISOString() },
    });
    return { ...mapWebhook(rotated), secret };
  }

  async deliveries(admin: BrandPrincipal, id: string): Promise<WebhookDeliveryListDto> {
    const endpoint = await this.endpoint(admin, id);
    return { items: (await this.repository.messagesOf(endpoint.id, DELIVERIES_LISTED)).map(mapDelivery) };
  }

  /** Sends the message again (same webhook-id) at once, for another retry window; enables a disabled endpoint. */
  async retry(admin: BrandPrincipal, id: string, deliveryId: string): Promise<WebhookDeliveryDto> {
    const endpoint = await this.endpoint(admin, id);
    if (!(await this.repository.requeue(endpoint.id, deliveryId, this.config.webhooks.retryWindowMs))) {
      throw new DomainError(ErrorCode.WEBHOOK_DELIVERY_NOT_FOUND, `Webhook ${id} has no delivery ${deliveryId}`);
    }
    if (endpoint.disabledAt !== null) await this.subscriptions.changed();
    const [message] = await this.repository.messagesOf(endpoint.id, 1, deliveryId);
    return mapDelivery(message);
  }

  private async endpoint(admin: BrandPrincipal, id: string): Promise<WebhookEndpointRow> {
    const endpoint = isUUID(id) ? await this.repository.findEndpoint(admin.brandId, id) : null;
    if (endpoint === null) throw notFound(admin, id);
    return endpoint;
  }

  /** The URL as sent, once its scheme, form and every address it resolves to are acceptable. */
  private async checkedUrl(raw: string): Promise<string> {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw invalidField('url', 'is not an absolute URL');
    }
    const { allowHttp, allowPrivate } = this.config.webhooks;
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && allowHttp)) {
      throw invalidField('url', allowHttp ? 'must be an http or https URL' : 'must be an https URL');
    }
    if (url.username !== '' || url.password !== '') throw invalidField('url', 'must not contain a user name or password');
    if (url.hash !== '') throw invalidField('url', 'must not contain a fragment');
    try {
      await resolveAllowedAddresses(url.hostname, allowPrivate);
    } catch (e) {
      if (e instanceof WebhookAddressError) throw invalidField('url', `is refused: ${e.message}`);
      throw e;
    }
    return raw;
  }
}

function notFound(admin: BrandPrincipal, id: string): DomainError {
  return new DomainError(ErrorCode.WEBHOOK_NOT_FOUND, `Brand ${admin.brandId} has no webhook ${id}`);
}
