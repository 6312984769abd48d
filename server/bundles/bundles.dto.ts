import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches } from 'class-validator';
import { AnchorProofDto } from '../orders/events.dto';

const FIELD = '[A-Za-z][A-Za-z0-9_.-]{0,63}';

/** `?disclose=field,field` or `?disclose=all`. */
export class BundleQueryDto {
  @IsOptional()
  @IsString({ message: 'disclose must be a single value: "all" or field names separated by commas' })
  @Matches(new RegExp(`^(all|${FIELD}(,${FIELD}){0,99})$`), { message: 'disclose must be "all" or a comma-separated list of field names' })
  @ApiPropertyOptional({
    description: 'Private fields to disclose with their salts: a comma-separated list of field names, or "all". Default: none.',
    example: 'shippingAddress,customerName',
  })
  disclose?: string;
}

/** Which sealed fields a bundle is to disclose: these names, or all. */
export type FieldsToDisclose = readonly string[] | 'all';

export function parseFieldsToDisclose(query: BundleQueryDto): FieldsToDisclose {
  if (query.disclose === undefined) return [];
  return query.disclose === 'all' ? 'all' : [...new Set(query.disclose.split(','))];
}

// OpenAPI description of ordertrace-bundle/1 (proof/bundle.ts holds the type; docs/proof-spec.md the meaning).

class BundleChainDto {
  @ApiProperty({ example: 31337 })
  chainId!: number;

  @ApiProperty({ example: '0x5fbdb2315678afecb367f032d93f642f64180aa3', description: 'The OrderAnchor contract' })
  contract!: string;
}

class BundleEventDto {
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The hashed event record (proof spec v1)' })
  record!: Record<string, unknown>;

  @ApiProperty({ description: 'keccak256(0x00 || JCS(record))' })
  leaf!: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'object', properties: { value: {}, salt: { type: 'string' } } },
    description: 'Disclosed private fields: value and salt opening record.sealed[name]',
  })
  disclosed?: Record<string, { value: unknown; salt: string }>;

  @ApiProperty({ type: AnchorProofDto, nullable: true, description: 'Null while the event is not anchored' })
  anchor!: AnchorProofDto | null;
}

export class BundleDto {
  @ApiProperty({ example: 'ordertrace-bundle/1' })
  format!: string;

  @ApiProperty({ type: BundleChainDto })
  chain!: BundleChainDto;

  @ApiProperty({ example: 'ord_01JD2Y8ZQ6R3W7X9V4K5M1N0PA' })
  order!: string;

  @ApiProperty({ example: 'acme', description: 'Brand slug' })
  brand!: string;

  @ApiProperty({ type: [BundleEventDto] })
  events!: BundleEventDto[];
}
