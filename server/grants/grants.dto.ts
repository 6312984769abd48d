import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, Length } from 'class-validator';
import type { GrantEntity } from '../auth/grant.entity';

export class CreateGrantDto {
  @ApiProperty({ format: 'uuid', description: 'Id of an arbitrator or auditor key (the operator issues them, GET /v1/keys lists them).' })
  @IsUUID()
  key!: string;

  @ApiPropertyOptional({ description: "One of the brand's orders; send this or `brand`." })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  order?: string;

  @ApiPropertyOptional({ format: 'uuid', description: "The brand's own id, for all of its orders; send this or `order`." })
  @IsOptional()
  @IsUUID()
  brand?: string;
}

export class GrantDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid', description: 'The arbitrator or auditor key' }) key!: string;
  @ApiProperty({ format: 'uuid', description: 'The granting brand' }) brand!: string;
  @ApiProperty({ nullable: true, type: String, description: 'The order, or null for all orders of the brand' }) order!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true }) revokedAt!: string | null;
}

export class GrantListDto {
  @ApiProperty({ type: [GrantDto] }) items!: GrantDto[];
}

export function mapGrant(grant: GrantEntity): GrantDto {
  return {
    id: grant.id,
    key: grant.keyId,
    brand: grant.brandId,
    order: grant.orderId,
    createdAt: grant.createdAt.toISOString(),
    revokedAt: grant.revokedAt === null ? null : grant.revokedAt.toISOString(),
  };
}
