import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import type { BatchEntity, BatchStatus } from './batch.entity';

export class ListBatchesQueryDto {
  @ApiPropertyOptional({ description: 'Page size, 1 to 200 (default 50)', example: '50' })
  @IsOptional()
  @Matches(/^(?:[1-9]|[1-9]\d|1\d\d|200)$/, { message: 'limit must be an integer from 1 to 200' })
  limit?: string;

  @ApiPropertyOptional({ description: 'Cursor: the nextCursor of the previous page' })
  @IsOptional()
  @Matches(/^[1-9]\d{0,9}$/, { message: 'cursor must be a cursor returned by this API' })
  cursor?: string;
}

export class BatchDto {
  @ApiProperty({ description: 'Batch sequence number on the anchor contract (1, 2, 3, …)' }) seq!: number;
  @ApiProperty({ enum: ['sealed', 'submitted', 'confirmed'] }) status!: BatchStatus;
  @ApiProperty({ description: 'Merkle root over the batch leaves' }) root!: string;
  @ApiProperty() leafCount!: number;
  @ApiProperty({ format: 'date-time' }) sealedAt!: string;
  @ApiProperty({ type: String, nullable: true, description: 'Anchoring transaction (the latest sent while submitted)' }) txHash!:
    string | null;
  @ApiProperty({ type: Number, nullable: true }) blockNumber!: number | null;
  @ApiProperty({ type: String, nullable: true }) blockHash!: string | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Blocks on top of the anchoring block, itself included; null when unknown' })
  confirmations!: number | null;
  @ApiProperty({ type: Number, nullable: true }) chainId!: number | null;
  @ApiProperty({ type: String, nullable: true }) contract!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) submittedAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) confirmedAt!: string | null;
  @ApiProperty({ description: 'Transactions signed for this batch so far' }) attempts!: number;
  @ApiProperty({ type: String, nullable: true }) lastError!: string | null;
}

export class BatchPageDto {
  @ApiProperty({ type: [BatchDto] }) items!: BatchDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next (older) page; null on the last page' })
  nextCursor!: string | null;
}

export function mapBatch(batch: BatchEntity, headBlock: number | null): BatchDto {
  const blockNumber = batch.blockNumber === null ? null : Number(batch.blockNumber);
  return {
    seq: batch.seq,
    status: batch.status,
    root: batch.root,
    leafCount: batch.leafCount,
    sealedAt: batch.sealedAt.toISOString(),
    txHash: batch.txHash,
    blockNumber: batch.status === 'confirmed' ? blockNumber : null,
    blockHash: batch.status === 'confirmed' ? batch.blockHash : null,
    confirmations:
      batch.status === 'confirmed' && blockNumber !== null && headBlock !== null ? Math.max(0, headBlock - blockNumber + 1) : null,
    chainId: batch.chainId,
    contract: batch.contract,
    submittedAt: batch.submittedAt?.toISOString() ?? null,
    confirmedAt: batch.confirmedAt?.toISOString() ?? null,
    attempts: batch.attempts,
    lastError: batch.lastError,
  };
}
