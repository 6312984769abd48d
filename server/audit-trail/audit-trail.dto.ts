import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import type { AuditEntry } from '../../proof/audit-entry';

export class AuditLogQueryDto {
  @ApiPropertyOptional({ description: 'Entries after this seq (default 0: from the first)', example: '0' })
  @IsOptional()
  @Matches(/^(?:0|[1-9]\d{0,14})$/, { message: 'after must be a non-negative integer' })
  after?: string;

  @ApiPropertyOptional({ description: 'Page size, 1 to 1000 (default 100)', example: '100' })
  @IsOptional()
  @Matches(/^(?:[1-9]\d{0,2}|1000)$/, { message: 'limit must be an integer from 1 to 1000' })
  limit?: string;
}

export class AuditEntryDto implements AuditEntry {
  @ApiProperty({ description: '1, 2, 3, … without gaps' }) seq!: number;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ description: '`operator`, `key:<key id>`, `consumer` or `system`' }) actor!: string;
  @ApiProperty({ description: 'e.g. key.created, grant.revoked, disclosure.exported' }) action!: string;
  @ApiProperty({ description: 'e.g. key:<id>, order:<id>' }) target!: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) details!: AuditEntry['details'];
  @ApiProperty({ type: String, nullable: true, description: "The client's address as the service saw it" }) from!: string | null;
  @ApiProperty({ description: 'The previous entry’s hash (32 zero bytes for the first)' }) prev!: AuditEntry['prev'];
  @ApiProperty({ description: 'keccak-256(0x03 || JCS(entry without hash))' }) hash!: AuditEntry['hash'];
}

export class AuditLogPageDto {
  @ApiProperty({ type: [AuditEntryDto] }) items!: AuditEntryDto[];
  @ApiProperty({ type: Number, nullable: true, description: 'Pass as `after` for the next page; null on the last page' })
  nextAfter!: number | null;
}
