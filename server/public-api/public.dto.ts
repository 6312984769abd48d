import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import type { Bundle } from '../../proof/bundle';
import type { JsonValue } from '../../proof/canonical';
import { CHANGE_REQUEST_KINDS, type ChangeRequestKind } from '../../proof/record';
import { EventFieldsProperty } from '../orders/event-fields.validation';

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

export class ChangeRequestAllowanceDto {
  @ApiProperty({ description: 'Whether the consumer may still ask for a change: the order is not shipped, cancelled or past them' })
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

  @ApiProperty({ type: ChangeRequestAllowanceDto })
  requests!: ChangeRequestAllowanceDto;
}

export class ChangeRequestDto {
  @ApiProperty({
    enum: CHANGE_REQUEST_KINDS,
    description: '`address`: deliver to the address in `sealed.address`; `hold`: do not ship yet',
  })
  @IsIn(CHANGE_REQUEST_KINDS as readonly string[], { message: `type must be one of ${CHANGE_REQUEST_KINDS.join(', ')}` })
  type!: ChangeRequestKind;

  @EventFieldsProperty({
    example: { address: { line1: 'Invalidenstraße 116', city: 'Berlin', postalCode: '10115', country: 'DE' } },
    description: 'For `address` only: `{"address": …}`, the new delivery address, recorded as a salted commitment only.',
  })
  sealed?: { [key: string]: JsonValue };
}

export class ChangeRequestConfirmationDto {
  @ApiProperty({ example: 4, description: 'Seq of the change_requested event: the brand answers by naming it in data.request' })
  seq!: number;

  @ApiProperty({ example: 'change_requested' })
  type!: 'change_requested';

  @ApiProperty({ enum: CHANGE_REQUEST_KINDS })
  request!: ChangeRequestKind;

  @ApiProperty({ example: '2026-11-24T10:15:02.113Z' })
  recorded!: string;

  @ApiProperty({ example: '0x…', description: 'Leaf hash of the new event; anchored like any other' })
  leaf!: string;
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
