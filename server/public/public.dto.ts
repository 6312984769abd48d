import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import type { Bundle } from '../../proof/bundle';
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

export class PublicChainDto {
  @ApiProperty({ example: 31337 })
  chainId!: number;

  @ApiProperty({ example: '0x5fbdb2315678afecb367f032d93f642f64180aa3' })
  contract!: string;

  @ApiProperty({ example: 'https://rpc.example.com', description: 'JSON-RPC endpoint the verifier page reads the chain through' })
  rpcUrl!: string;
}

export class ReceiptAllowanceDto {
  @ApiProperty({ description: 'Whether the order may take the consumer’s received event now' })
  allowed!: boolean;
}

export class PublicOrderDto {
  @ApiProperty({ description: 'The order’s ordertrace-bundle/1, without any private value' })
  bundle!: Bundle;

  @ApiProperty({ example: 'Acme Apparel' })
  brandName!: string;

  @ApiProperty({ type: PublicChainDto })
  chain!: PublicChainDto;

  @ApiProperty({ type: ReceiptAllowanceDto })
  receipt!: ReceiptAllowanceDto;
}

export class ReceiptConfirmationDto {
  @ApiProperty({ example: 9 })
  seq!: number;

  @ApiProperty({ example: 'received' })
  type!: 'received';

  @ApiProperty({ example: '2026-11-24T10:15:02.113Z' })
  recorded!: string;

  @ApiProperty({ example: '0x…', description: 'Leaf hash of the new event; anchored like any other' })
  leaf!: string;
}
