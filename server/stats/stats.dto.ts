import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches, MaxLength } from 'class-validator';

/** A calendar day, YYYY-MM-DD. */
const DAY_PATTERN = /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])$/;

export class StatsQueryDto {
  @ApiPropertyOptional({ description: 'First day (YYYY-MM-DD in `tz`, inclusive); default 29 days before `to`', example: '2026-11-01' })
  @IsOptional()
  @Matches(DAY_PATTERN, { message: 'from must be a day, YYYY-MM-DD' })
  from?: string;

  @ApiPropertyOptional({ description: 'Last day (YYYY-MM-DD in `tz`, inclusive); default today in `tz`', example: '2026-11-30' })
  @IsOptional()
  @Matches(DAY_PATTERN, { message: 'to must be a day, YYYY-MM-DD' })
  to?: string;

  @ApiPropertyOptional({ description: 'IANA time zone the days are counted in (default UTC)', example: 'Asia/Shanghai' })
  @IsOptional()
  @MaxLength(64, { message: 'tz must be an IANA time zone name' })
  @Matches(/^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+){0,2}$/, { message: 'tz must be an IANA time zone name' })
  tz?: string;
}

export class DayCountDto {
  @ApiProperty({ example: '2026-11-01' }) date!: string;
  @ApiProperty() orders!: number;
}

export class StageCountDto {
  @ApiProperty({ enum: ['created', 'paid', 'packed', 'shipped', 'delivered', 'received', 'cancelled', 'returned', 'refunded'] })
  stage!: string;
  @ApiProperty({ description: 'Orders created in the range that reached the stage' }) orders!: number;
}

export class PaidToDeliveredDto {
  @ApiProperty({ description: 'Orders created in the range with both a paid and a delivered (or received) event' }) orders!: number;
  @ApiProperty({ type: Number, nullable: true, description: 'Median seconds from `at` of paid to `at` of the first delivered or received' })
  medianSeconds!: number | null;
  @ApiProperty({ type: Number, nullable: true, description: '95th percentile (continuous, as PostgreSQL percentile_cont)' })
  p95Seconds!: number | null;
}

export class OnTimeDto {
  @ApiProperty({ description: 'Delivered orders whose created event carries data.promisedDelivery (YYYY-MM-DD)' }) promised!: number;
  @ApiProperty({ description: 'Of those, delivered on or before the promised day (in `tz`)' }) onTime!: number;
  @ApiProperty({ type: Number, nullable: true, description: 'onTime / promised; null without any' }) share!: number | null;
}

export class AnchoringStatsDto {
  @ApiProperty() enabled!: boolean;
  @ApiProperty({ type: Number, nullable: true, description: 'Age of the oldest event not yet anchored (any brand); null when all are' })
  lagSeconds!: number | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description: "The anchoring account's balance in the chain's coin; null with anchoring off or unread",
  })
  balance!: string | null;
  @ApiProperty({ description: 'The balance is below ANCHOR_LOW_BALANCE' }) balanceLow!: boolean;
  @ApiProperty({ type: Number, nullable: true, description: 'Days the balance lasts at the current anchoring rate' }) daysLeft!:
    number | null;
}

export class StatsDto {
  @ApiProperty({ example: '2026-11-01' }) from!: string;
  @ApiProperty({ example: '2026-11-30' }) to!: string;
  @ApiProperty({ example: 'UTC' }) tz!: string;
  @ApiProperty({ type: [DayCountDto], description: 'Orders created on each day of the range, zeros included' })
  ordersPerDay!: DayCountDto[];
  @ApiProperty({
    type: [StageCountDto],
    description:
      'Orders created in the range by stage reached: created, paid, packed, shipped, delivered (or received), received, then cancelled, returned, refunded',
  })
  funnel!: StageCountDto[];
  @ApiProperty({ type: PaidToDeliveredDto }) paidToDelivered!: PaidToDeliveredDto;
  @ApiProperty({ type: OnTimeDto }) onTime!: OnTimeDto;
  @ApiProperty({ type: AnchoringStatsDto }) anchoring!: AnchoringStatsDto;
}
