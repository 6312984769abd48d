import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsOptional, IsString, Length, Matches } from 'class-validator';
import type { ApiKeyEntity } from '../auth/api-key.entity';
import { IsDisplayText } from '../http/display-text';
import type { BrandEntity } from './brand.entity';

export const BRAND_SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;
const ROLE_PATTERN = /^[a-z][a-z0-9_:-]{0,31}$/;

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

export class CreateApiKeyDto {
  @ApiPropertyOptional({ type: [String], example: ['brand'], description: 'Defaults to ["brand"].' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(16)
  @ArrayUnique()
  @IsString({ each: true })
  @Matches(ROLE_PATTERN, { each: true, message: 'each role must be a lowercase identifier of at most 32 characters' })
  roles?: string[];
}

export class ApiKeyCreatedDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ description: 'The key itself. Shown only in this response; only its hash is stored.' }) key!: string;
  @ApiProperty({ description: 'First characters of the key, to tell keys apart.' }) keyPrefix!: string;
  @ApiProperty({ type: [String] }) roles!: string[];
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export function mapBrand(brand: BrandEntity): BrandDto {
  return { id: brand.id, slug: brand.slug, name: brand.name, createdAt: brand.createdAt.toISOString() };
}

export function mapApiKeyCreated(entity: ApiKeyEntity, key: string): ApiKeyCreatedDto {
  return { id: entity.id, key, keyPrefix: entity.keyPrefix, roles: entity.roles, createdAt: entity.createdAt.toISOString() };
}
