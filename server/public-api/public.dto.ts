import { ApiProperty } from '@nestjs/swagger';
import type { Bundle } from '../../proof/bundle';

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
