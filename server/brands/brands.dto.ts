import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateIf,
} from 'class-validator';
import type { ApiKeyEntity } from '../auth/api-key.entity';
import { DEFAULT_API_KEY_ROLES, ROLES } from '../auth/roles';
import { IsRfc3339 } from '../orders/event-fields.validation';
import { IsDisplayText } from '../http/display-text';
import type { BrandEntity } from './brand.entity';

export const BRAND_SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;
const ROLE_PATTERN = /^[a-z][a-z0-9_:-]{0,31}$/;

/** A list of role names, well-formed and each once; which names exist is checked by the service (422 naming the valid ones). */
function IsRoleList(): PropertyDecorator {
  return applyDecorators(
    IsArray(),
    ArrayMinSize(1),
    ArrayMaxSize(16),
    ArrayUnique(),
    IsString({ each: true }),
    Matches(ROLE_PATTERN, { each: true, message: 'each role must be a lowercase identifier of at most 32 characters' }),
  );
}
/** The longest overlap a rotation allows: the old key must stop working within this. */
export const MAX_ROTATION_OVERLAP_SECONDS = 30 * 24 * 3600;
export const DEFAULT_ROTATION_OVERLAP_SECONDS = 24 * 3600;

export class CreateBrandDto {
  @ApiProperty({ example: 'acme', description: 'Lowercase letters, digits and dashes; written into every event record, never changes.' })
  @IsString()
  @Matches(BRAND_SLUG_PATTERN, { message: 'slug must be 1-64 lowercase letters, digits or inner dashes' })
  slug!: string;

  @ApiProperty({ example: 'ACME Ltd', description: 'Shown to consumers: no control or bidirectional formatting characters' })
  @IsString()
  @Length(1, 200)
  @IsDisplayText()
  name!: string;
}

export class BrandDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() slug!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class BrandListDto {
  @ApiProperty({ type: [BrandDto] }) items!: BrandDto[];
}

/** Name and expiry, common to every key the API issues. */
class KeyOptionsDto {
  @ApiPropertyOptional({ example: 'warehouse importer', description: 'A label for listings, e.g. who holds the key.' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  name?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'RFC 3339 time, in the future, from which the key is refused.' })
  @IsOptional()
  @IsRfc3339()
  expiresAt?: string;
}

export class CreateApiKeyDto extends KeyOptionsDto {
  @ApiPropertyOptional({
    type: [String],
    enum: ROLES,
    example: ['brand:write', 'brand:read'],
    description: `Defaults to ${JSON.stringify(DEFAULT_API_KEY_ROLES)}. A brand's keys hold brand:admin, brand:write or brand:read.`,
  })
  // Absent means the default roles; null is not a list of roles (IsOptional would let it through).
  @ValidateIf((dto: CreateApiKeyDto) => dto.roles !== undefined)
  @IsRoleList()
  roles?: string[];
}

export class CreateOperatorKeyDto extends KeyOptionsDto {
  @ApiProperty({ type: [String], enum: ROLES, example: ['arbitrator'], description: 'arbitrator and/or auditor.' })
  @IsRoleList()
  roles!: string[];
}

export class RotateApiKeyDto {
  @ApiPropertyOptional({
    minimum: 0,
    maximum: MAX_ROTATION_OVERLAP_SECONDS,
    default: DEFAULT_ROTATION_OVERLAP_SECONDS,
    description: 'How long the old key keeps working beside the new one (it never works longer than its own expiry).',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_ROTATION_OVERLAP_SECONDS)
  overlapSeconds?: number;

  @ApiPropertyOptional({ format: 'date-time', description: "The new key's expiry; none by default." })
  @IsOptional()
  @IsRfc3339()
  expiresAt?: string;
}

export class ApiKeyDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid', nullable: true, description: 'Null for the operator-issued arbitrator and auditor keys.' })
  brandId!: string | null;
  @ApiProperty({ description: 'First characters of the key, to tell keys apart.' }) keyPrefix!: string;
  @ApiProperty({ type: [String] }) roles!: string[];
  @ApiProperty({ nullable: true, type: String }) name!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, description: 'Within about a minute of its last use.' }) lastUsedAt!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true }) expiresAt!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true }) revokedAt!: string | null;
}

export class ApiKeyCreatedDto extends ApiKeyDto {
  @ApiProperty({ description: 'The key itself. Shown only in this response; only its hash is stored.' }) key!: string;
}

export class ApiKeyListDto {
  @ApiProperty({ type: [ApiKeyDto] }) items!: ApiKeyDto[];
}

export function mapBrand(brand: BrandEntity): BrandDto {
  return { id: brand.id, slug: brand.slug, name: brand.name, createdAt: brand.createdAt.toISOString() };
}

const iso = (d: Date | null): string | null => (d === null ? null : d.toISOString());

export function mapApiKey(entity: ApiKeyEntity): ApiKeyDto {
  return {
    id: entity.id,
    brandId: entity.brandId,
    keyPrefix: entity.keyPrefix,
    roles: entity.roles,
    name: entity.name,
    createdAt: entity.createdAt.toISOString(),
    lastUsedAt: iso(entity.lastUsedAt),
    expiresAt: iso(entity.expiresAt),
    revokedAt: iso(entity.revokedAt),
  };
}

export function mapApiKeyCreated(entity: ApiKeyEntity, key: string): ApiKeyCreatedDto {
  return { ...mapApiKey(entity), key };
}
