import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsEmail,
  IsIn,
  IsInt,
  IsISO31661Alpha2,
  IsISO4217CurrencyCode,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import type { JsonValue } from '../../proof/canonical';
import { EVENT_TYPES, type EventType } from '../../proof/record';
import { IsDisplayText } from '../http/display-text';
import { EventFieldsProperty, IsRfc3339 } from './event-fields.validation';
import { allowedNext, isOrderStatus, ORDER_STATUSES, type OrderStatus } from '../../proof/order-lifecycle';
import type { OrderEntity } from './order.entity';

/** Non-negative decimal money amount as a string: floats never carry money. */
export const DECIMAL_AMOUNT = /^(0|[1-9]\d{0,17})(\.\d{1,18})?$/;

export class LineItemDto {
  @ApiProperty({ example: 'TSHIRT-RED-M' })
  @IsString()
  @Length(1, 100)
  @IsDisplayText()
  sku!: string;

  @ApiProperty({ example: 2, minimum: 1 })
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  quantity!: number;

  @ApiProperty({ example: '19.90', description: 'Decimal string, never a float' })
  @IsString()
  @Matches(DECIMAL_AMOUNT, { message: 'unitPrice must be a non-negative decimal string such as "19.90"' })
  unitPrice!: string;

  @ApiProperty({ example: 'EUR', description: 'ISO 4217 code' })
  @IsISO4217CurrencyCode({ message: 'currency must be an ISO 4217 code such as EUR' })
  currency!: string;

  @ApiPropertyOptional({ example: 'T-shirt, red, M' })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  @IsDisplayText()
  name?: string;
}

export class CustomerDto {
  @ApiPropertyOptional({ example: 'Jane Doe' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  @IsDisplayText()
  name?: string;

  @ApiPropertyOptional({ example: 'jane@example.com' })
  @IsOptional()
  @IsEmail()
  @Length(3, 320)
  email?: string;

  @ApiPropertyOptional({ example: '+49 30 1234567' })
  @IsOptional()
  @IsString()
  @Matches(/^\+?[0-9 ()./-]{3,40}$/, { message: 'phone must be a phone number' })
  phone?: string;
}

export class ShippingAddressDto {
  @ApiPropertyOptional({ example: 'Jane Doe' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  @IsDisplayText()
  name?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 200)
  @IsDisplayText()
  company?: string;

  @ApiProperty({ example: 'Main Street 1' })
  @IsString()
  @Length(1, 200)
  line1!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 200)
  line2?: string;

  @ApiPropertyOptional({ example: '10115' })
  @IsOptional()
  @IsString()
  @Length(1, 20)
  postalCode?: string;

  @ApiProperty({ example: 'Berlin' })
  @IsString()
  @Length(1, 100)
  city!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 100)
  region?: string;

  @ApiProperty({ example: 'DE', description: 'ISO 3166-1 alpha-2' })
  @IsISO31661Alpha2({ message: 'country must be an ISO 3166-1 alpha-2 code such as DE' })
  country!: string;
}

export class CreateOrderDto {
  @ApiProperty({ example: 'SO-10042', description: "The brand's own order number; unique per brand" })
  @IsString()
  @Length(1, 200)
  @IsDisplayText()
  reference!: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'When the order was placed; defaults to now' })
  @IsOptional()
  @IsRfc3339()
  at?: string;

  @EventFieldsProperty({ description: 'Public fields of the created event (shown to consumers)' })
  data?: { [key: string]: JsonValue };

  @EventFieldsProperty({ description: 'Further private fields, sealed like customer and shippingAddress' })
  sealed?: { [key: string]: JsonValue };

  @ApiPropertyOptional({ type: [LineItemDto], description: 'Sealed as the private field `lineItems` (prices are commercial data)' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => LineItemDto)
  lineItems?: LineItemDto[];

  @ApiPropertyOptional({ type: CustomerDto, description: 'Sealed as the private field `customer`' })
  @IsOptional()
  @ValidateNested()
  @Type(() => CustomerDto)
  customer?: CustomerDto;

  @ApiPropertyOptional({ type: ShippingAddressDto, description: 'Sealed as the private field `shippingAddress`' })
  @IsOptional()
  @ValidateNested()
  @Type(() => ShippingAddressDto)
  shippingAddress?: ShippingAddressDto;
}

export class ListOrdersQueryDto {
  @ApiPropertyOptional({ enum: ORDER_STATUSES })
  @IsOptional()
  @IsIn(ORDER_STATUSES, { message: `status must be one of ${ORDER_STATUSES.join(', ')}` })
  status?: OrderStatus;

  @ApiPropertyOptional({ format: 'date-time', description: 'Created at or after (inclusive)' })
  @IsOptional()
  @IsRfc3339()
  createdFrom?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Created before (exclusive)' })
  @IsOptional()
  @IsRfc3339()
  createdTo?: string;

  @ApiPropertyOptional({ description: "The brand's order reference, exact match" })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  reference?: string;

  @ApiPropertyOptional({ description: "The brand's order reference begins with this (case-sensitive)" })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  referencePrefix?: string;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
}

export class OrderDto {
  @ApiProperty({ example: 'ord_01JD3ZK7Q9T4W8X2B5N6M0P1RS' }) id!: string;
  @ApiProperty() reference!: string;
  @ApiProperty({ enum: ORDER_STATUSES }) status!: OrderStatus;
  @ApiProperty({ enum: EVENT_TYPES, isArray: true, description: 'Event types the order may take next' }) allowedNext!: EventType[];
  @ApiProperty({ description: 'seq of the last event' }) lastSeq!: number;
  @ApiProperty({ description: 'Leaf hash of the last event', nullable: true }) lastLeaf!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Public data of the created event' }) data!: {
    [key: string]: JsonValue;
  };
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When the private fields were erased (POST /v1/orders/{id}/erase); null while kept',
  })
  erasedAt!: string | null;
}

export class OrderPageDto {
  @ApiProperty({ type: [OrderDto] }) items!: OrderDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null on the last page' }) nextCursor!:
    string | null;
}

export function mapOrder(order: OrderEntity): OrderDto {
  const status = order.status;
  return {
    id: order.id,
    reference: order.reference,
    status: status as OrderStatus,
    allowedNext: isOrderStatus(status) ? [...allowedNext(status)] : [],
    lastSeq: order.lastSeq,
    lastLeaf: order.lastLeaf,
    data: order.data as { [key: string]: JsonValue },
    createdAt: order.createdAt.toISOString(),
    updatedAt: order.updatedAt.toISOString(),
    erasedAt: order.erasedAt === null ? null : order.erasedAt.toISOString(),
  };
}
