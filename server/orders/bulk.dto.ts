import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsOptional, IsString, Length } from 'class-validator';
import { RawJson } from './event-fields.validation';
import { AppendEventDto, EventDto } from './events.dto';
import { IsDisplayText } from '../http/display-text';
import { OrderDto } from './orders.dto';

export const MAX_BULK_ITEMS = 1000;

/**
 * POST /v1/bulk. Each item is validated on its own, exactly as the single call it stands for, so
 * one bad item fails alone with a problem naming its field (`items[3].event.type`).
 */
export class BulkRequestDto {
  @ApiProperty({
    type: 'array',
    maxItems: MAX_BULK_ITEMS,
    items: { type: 'object', additionalProperties: true },
    description:
      'Up to 1,000 items, applied in the order given: `{"order": {…POST /v1/orders body…}}` creates an order; ' +
      '`{"event": {"order": "<order id>" | "reference": "<order reference>", …POST /v1/orders/{id}/events body…}}` appends an event ' +
      '(an event may follow its order created earlier in the same request).',
    example: [{ order: { reference: 'SO-1' } }, { event: { reference: 'SO-1', type: 'paid' } }],
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BULK_ITEMS)
  @RawJson()
  items!: unknown[];
}

/** An event item of POST /v1/bulk: the body of POST /v1/orders/{id}/events plus the order it goes to. */
export class BulkEventItemDto extends AppendEventDto {
  /** The order's id. */
  @IsOptional()
  @IsString()
  @Length(1, 200)
  order?: string;

  /** Or the brand's order reference. */
  @IsOptional()
  @IsString()
  @Length(1, 200)
  @IsDisplayText()
  reference?: string;
}

export class BulkItemResultDto {
  @ApiProperty({ description: 'What the single call would have answered: 201, or the 4xx of its problem' }) status!: number;
  @ApiPropertyOptional({ type: OrderDto }) order?: OrderDto;
  @ApiPropertyOptional({ type: EventDto }) event?: EventDto;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'RFC 9457 problem of a failed item' }) problem?: Record<
    string,
    unknown
  >;
}

export class BulkResponseDto {
  @ApiProperty({ type: [BulkItemResultDto] }) items!: BulkItemResultDto[];
}
