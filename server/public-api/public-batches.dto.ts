import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';

/** Leaves per page of GET /public/batches/{seq}: a whole batch at the default BATCH_MAX_EVENTS. */
export const MAX_LEAVES_PER_PAGE = 10_000;
export const MAX_BATCHES_PER_PAGE = 1_000;

export class PublicBatchQueryDto {
  @ApiPropertyOptional({ description: 'First leaf to return (0-based position in the tree)', example: '0' })
  @IsOptional()
  @Matches(/^(?:0|[1-9]\d{0,8})$/, { message: 'offset must be a whole number' })
  offset?: string;

  @ApiPropertyOptional({ description: `Leaves to return, 1 to ${MAX_LEAVES_PER_PAGE} (default ${MAX_LEAVES_PER_PAGE})` })
  @IsOptional()
  @Matches(/^[1-9]\d{0,4}$/, { message: `limit must be a whole number from 1 to ${MAX_LEAVES_PER_PAGE}` })
  limit?: string;
}

export class PublicBatchListQueryDto {
  @ApiPropertyOptional({ description: 'List batches with a seq greater than this (default 0: from the first)', example: '0' })
  @IsOptional()
  @Matches(/^(?:0|[1-9]\d{0,9})$/, { message: 'after must be a batch seq (a whole number)' })
  after?: string;

  @ApiPropertyOptional({ description: `Batches to return, 1 to ${MAX_BATCHES_PER_PAGE} (default 100)` })
  @IsOptional()
  @Matches(/^[1-9]\d{0,3}$/, { message: `limit must be a whole number from 1 to ${MAX_BATCHES_PER_PAGE}` })
  limit?: string;
}

export class PublicAnchorDto {
  @ApiProperty({ example: '0x…' }) txHash!: string;
  @ApiProperty({ example: 1234 }) blockNumber!: number;
  @ApiProperty({ example: '0x…' }) blockHash!: string;
}

export class PublicBatchSummaryDto {
  @ApiProperty({ example: 1 }) seq!: number;
  @ApiProperty({ description: 'Merkle root over the batch’s leaves (docs/proof-spec.md)' }) root!: string;
  @ApiProperty({ example: 3 }) leafCount!: number;
  @ApiProperty({ type: PublicAnchorDto, nullable: true, description: 'Where the root was anchored; null until confirmed' })
  anchor!: PublicAnchorDto | null;
}

export class PublicBatchDto extends PublicBatchSummaryDto {
  @ApiProperty({ type: [String], description: 'Leaf hashes in tree order, from `offset` (all of them without paging)' })
  leaves!: string[];
}

export class PublicBatchListDto {
  @ApiProperty({ type: [PublicBatchSummaryDto] }) items!: PublicBatchSummaryDto[];
  @ApiProperty({ type: Number, nullable: true, description: 'Pass as `after` for the next page; null on the last page' })
  nextAfter!: number | null;
}
