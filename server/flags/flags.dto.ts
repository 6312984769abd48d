import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { DECIMAL_AMOUNT } from '../orders/orders.dto';
import type { StoredFlag } from './flags.repository';
import { FLAG_RULES, type FlagRule, type FlagSeverity, type FlagThresholds, type OrderFlag } from './order-flags';

const SEVERITIES: FlagSeverity[] = ['info', 'warning', 'high'];

export class FlagExplanationDto {
  @ApiProperty() en!: string;
  @ApiProperty({ name: 'zh-CN' }) 'zh-CN'!: string;
}

/** A flag as GET /v1/orders/{id}/flags shows it. */
export class OrderFlagDto {
  @ApiProperty({ enum: FLAG_RULES }) rule!: FlagRule;
  @ApiProperty({ enum: SEVERITIES }) severity!: FlagSeverity;
  @ApiProperty({ description: 'The order id' }) order!: string;
  @ApiProperty({ type: [Number], description: 'The events (seqs) that show it' }) seqs!: number[];
  @ApiProperty({ type: FlagExplanationDto }) explanation!: FlagExplanationDto;
}

export class OrderFlagListDto {
  @ApiProperty({ type: [OrderFlagDto] }) items!: OrderFlagDto[];
}

/** A raised flag, as GET /v1/flags lists it and the `order.flagged` webhook sends it. */
export class RaisedFlagDto extends OrderFlagDto {
  @ApiProperty({ description: 'The flag id; ids grow in the order flags are raised, and serve as the `after` cursor' }) id!: string;
  @ApiProperty({ format: 'date-time' }) raisedAt!: string;
}

export class RaisedFlagPageDto {
  @ApiProperty({ type: [RaisedFlagDto] }) items!: RaisedFlagDto[];
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as `after` for the next page; null on the last page (to follow new flags, pass the last item `id`)',
  })
  next!: string | null;
}

export class ListFlagsQueryDto {
  @ApiPropertyOptional({ description: 'Flags raised after this one (a flag `id`, or `next` of the previous page)', example: '0' })
  @IsOptional()
  @IsString()
  @MaxLength(19)
  @Matches(/^(0|[1-9]\d{0,17})$/, { message: 'after must be a flag id (digits) or the next cursor of a page' })
  after?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}

const MS_MAX = 365 * 86_400_000;

/** The thresholds a brand's flags are raised with. */
export class FlagThresholdsDto {
  @ApiProperty({ description: 'An event dated this long (ms) before it was recorded is backdated' }) backdatedAfterMs!: number;
  @ApiProperty({ description: 'An event dated up to this long (ms) before the one ahead of it is still in time order' })
  timeOrderToleranceMs!: number;
  @ApiProperty({ description: 'Delivered or received sooner than this (ms) after shipping is implausibly fast' }) minShippingMs!: number;
  @ApiProperty({ description: 'This many address changes on one order or more' }) addressChangesAtLeast!: number;
  @ApiProperty({ description: "A consumer's receipt sooner than this (ms) after the order's link was reissued" })
  receiptAfterReissueMs!: number;
  @ApiProperty({ description: 'A refund after receipt is flagged on orders worth at least this (decimal string, order currency)' })
  highValueAtLeast!: string;
  @ApiProperty({ description: "This many of the brand's orders or more sharing a phone number or delivery address …" })
  burstOrdersAtLeast!: number;
  @ApiProperty({ description: '… recorded within this long (ms)' }) burstWindowMs!: number;
}

/** PUT /v1/brands/{id}/flag-thresholds: the thresholds to set; a field left out takes its default. */
export class SetFlagThresholdsDto {
  @ApiPropertyOptional({ minimum: 1000, maximum: MS_MAX })
  @IsOptional()
  @IsInt()
  @Min(1000)
  @Max(MS_MAX)
  backdatedAfterMs?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: MS_MAX })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MS_MAX)
  timeOrderToleranceMs?: number;

  @ApiPropertyOptional({ minimum: 1000, maximum: MS_MAX })
  @IsOptional()
  @IsInt()
  @Min(1000)
  @Max(MS_MAX)
  minShippingMs?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 1000 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1000)
  addressChangesAtLeast?: number;

  @ApiPropertyOptional({ minimum: 1000, maximum: MS_MAX })
  @IsOptional()
  @IsInt()
  @Min(1000)
  @Max(MS_MAX)
  receiptAfterReissueMs?: number;

  @ApiPropertyOptional({ example: '1000.00', description: 'Decimal string, never a float' })
  @IsOptional()
  @IsString()
  @Matches(DECIMAL_AMOUNT, { message: 'highValueAtLeast must be a non-negative decimal string such as "1000.00"' })
  highValueAtLeast?: string;

  @ApiPropertyOptional({ minimum: 2, maximum: 100_000 })
  @IsOptional()
  @IsInt()
  @Min(2)
  @Max(100_000)
  burstOrdersAtLeast?: number;

  @ApiPropertyOptional({ minimum: 1000, maximum: MS_MAX })
  @IsOptional()
  @IsInt()
  @Min(1000)
  @Max(MS_MAX)
  burstWindowMs?: number;
}

export function mapOrderFlag(flag: OrderFlag): OrderFlagDto {
  return { rule: flag.rule, severity: flag.severity, order: flag.order, seqs: flag.seqs, explanation: flag.explanation };
}

export function mapRaisedFlag(flag: StoredFlag): RaisedFlagDto {
  return { id: flag.id, ...mapOrderFlag(flag), raisedAt: flag.raisedAt.toISOString() };
}

export function mapThresholds(t: FlagThresholds): FlagThresholdsDto {
  return { ...t };
}
