import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { WEBHOOK_MESSAGE_TYPES } from './webhook-types';
import type { WebhookEndpointRow, WebhookMessageRow } from './webhooks.repository';

export class CreateWebhookDto {
  @ApiProperty({ description: 'Where messages are POSTed: https (http only where the operator allows it), not a private address.' })
  @IsString()
  @MaxLength(2000)
  url!: string;

  @ApiPropertyOptional({
    enum: WEBHOOK_MESSAGE_TYPES,
    isArray: true,
    description: 'The message types to receive; all of them when absent.',
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(WEBHOOK_MESSAGE_TYPES.length)
  @IsIn(WEBHOOK_MESSAGE_TYPES, { each: true })
  types?: string[];
}

export class RotateWebhookSecretDto {
  @ApiPropertyOptional({
    description: 'How long the previous secret keeps signing too, in seconds (default 86400, at most 30 days, 0 ends it at once).',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(30 * 86_400)
  overlapSeconds?: number;
}

export class WebhookDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() url!: string;
  @ApiProperty({ enum: WEBHOOK_MESSAGE_TYPES, isArray: true, description: 'The message types it receives' }) types!: string[];
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'Until then the previous secret signs too' })
  previousSecretUntil!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'Since when every delivery failed' })
  failingSince!: string | null;
  @ApiProperty({
    format: 'date-time',
    nullable: true,
    type: String,
    description: 'Set when persistent failure disabled it; a manual retry enables it again',
  })
  disabledAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) disabledReason!: string | null;
}

export class WebhookWithSecretDto extends WebhookDto {
  @ApiProperty({ description: 'The signing secret (`whsec_…`), shown only in this response' }) secret!: string;
}

export class WebhookListDto {
  @ApiProperty({ type: [WebhookDto] }) items!: WebhookDto[];
}

export class WebhookAttemptDto {
  @ApiProperty({ format: 'date-time' }) attemptedAt!: string;
  @ApiProperty({ nullable: true, type: Number, description: "The receiver's HTTP status, when it answered" }) statusCode!: number | null;
  @ApiProperty() durationMs!: number;
  @ApiProperty({
    nullable: true,
    type: String,
    description:
      'null when delivered; else status (not 2xx), timeout, connection_refused, connection_reset, dns, unreachable, tls, address_refused or network',
  })
  error!: string | null;
}

export class WebhookDeliveryDto {
  @ApiProperty({ description: 'The message id, sent as `webhook-id` with every attempt' }) id!: string;
  @ApiProperty({ enum: WEBHOOK_MESSAGE_TYPES }) type!: string;
  @ApiProperty({ enum: ['pending', 'delivered', 'failed'] }) status!: string;
  @ApiProperty() attempts!: number;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) nextAttemptAt!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) deliveredAt!: string | null;
  @ApiProperty({ type: [WebhookAttemptDto] }) log!: WebhookAttemptDto[];
}

export class WebhookDeliveryListDto {
  @ApiProperty({ type: [WebhookDeliveryDto] }) items!: WebhookDeliveryDto[];
}

function iso(d: Date | null): string | null {
  return d === null ? null : d.toISOString();
}

export function mapWebhook(e: WebhookEndpointRow): WebhookDto {
  return {
    id: e.id,
    url: e.url,
    types: e.types ?? [...WEBHOOK_MESSAGE_TYPES],
    createdAt: e.createdAt.toISOString(),
    previousSecretUntil:
      e.previousSecretUntil !== null && e.previousSecretUntil.getTime() > Date.now() ? e.previousSecretUntil.toISOString() : null,
    failingSince: iso(e.failingSince),
    disabledAt: iso(e.disabledAt),
    disabledReason: e.disabledReason,
  };
}

export function mapDelivery(m: WebhookMessageRow): WebhookDeliveryDto {
  return {
    id: m.id,
    type: m.type,
    status: m.status,
    attempts: m.attempts,
    createdAt: m.createdAt.toISOString(),
    nextAttemptAt: iso(m.nextAttemptAt),
    deliveredAt: iso(m.deliveredAt),
    log: m.log.map((a) => ({
      attemptedAt: a.attemptedAt.toISOString(),
      statusCode: a.statusCode,
      durationMs: a.durationMs,
      error: a.error,
    })),
  };
}
