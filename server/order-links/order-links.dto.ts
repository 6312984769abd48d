import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { QR_PNG_MAX_WIDTH, QR_PNG_MIN_WIDTH } from './qr-code';

export class OrderLinkDto {
  @ApiProperty({ example: 'https://verify.example.com/v/ord_01JD8Z3Q4R5S6T7V8W9X0Y1Z2A#Zx3kP0_qv-9aB7cD2eF4gH6iJ8kL0mN2oP4qR6sT8uV' })
  url!: string;
}

export class QrPngQueryDto {
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'size must be an integer number of pixels' })
  @Min(QR_PNG_MIN_WIDTH)
  @Max(QR_PNG_MAX_WIDTH)
  @ApiProperty({
    required: false,
    minimum: QR_PNG_MIN_WIDTH,
    maximum: QR_PNG_MAX_WIDTH,
    default: 512,
    description: 'Width and height in pixels',
  })
  size?: number;
}
