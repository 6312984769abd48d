import { Injectable } from '@nestjs/common';
import type { BatchEntity } from '../batches/batch.entity';
import { BatchesRepository } from '../batches/batches.repository';
import { DomainError, ErrorCode, invalidField } from '../errors/domain-error';
import {
  MAX_LEAVES_PER_PAGE,
  type PublicBatchDto,
  type PublicBatchListDto,
  type PublicBatchListQueryDto,
  type PublicBatchQueryDto,
  type PublicBatchSummaryDto,
} from './public-batches.dto';

const DEFAULT_LIST_LIMIT = 100;

/**
 * Transparency for auditors without database access: every sealed batch's root and leaf hashes
 * (nothing else of an event: a leaf is a hash of a record, and records with private fields hold
 * only commitments), and where the root was anchored. Anyone can fold the leaves to the root and
 * compare it with the contract. Sealed batches never change; an anchor is shown once confirmed.
 */
@Injectable()
export class PublicBatchesService {
  constructor(private readonly batches: BatchesRepository) {}

  async list(query: PublicBatchListQueryDto): Promise<PublicBatchListDto> {
    const after = query.after === undefined ? 0 : Number(query.after);
    const limit = query.limit === undefined ? DEFAULT_LIST_LIMIT : Number(query.limit);
    const rows = await this.batches.listAfter(after, limit + 1);
    const page = rows.slice(0, limit);
    return { items: page.map(summary), nextAfter: rows.length > limit ? page[page.length - 1].seq : null };
  }

  async get(seqText: string, query: PublicBatchQueryDto): Promise<{ batch: PublicBatchDto; final: boolean }> {
    if (!/^[1-9]\d{0,9}$/.test(seqText) || Number(seqText) > 2_147_483_647) {
      throw invalidField('seq', 'must be a batch number (a positive integer)');
    }
    const limit = query.limit === undefined ? MAX_LEAVES_PER_PAGE : Number(query.limit);
    if (limit > MAX_LEAVES_PER_PAGE) throw invalidField('limit', `must be a whole number from 1 to ${MAX_LEAVES_PER_PAGE}`);
    const offset = query.offset === undefined ? 0 : Number(query.offset);
    const row = await this.batches.findBySeq(Number(seqText));
    if (row === null) throw new DomainError(ErrorCode.BATCH_NOT_FOUND, `No sealed batch ${seqText}`);
    const leaves = offset >= row.leafCount ? [] : await this.batches.leavesPage(row.seq, offset, limit);
    return { batch: { ...summary(row), leaves }, final: row.status === 'confirmed' };
  }
}

function summary(batch: BatchEntity): PublicBatchSummaryDto {
  const confirmed = batch.status === 'confirmed' && batch.txHash !== null && batch.blockNumber !== null && batch.blockHash !== null;
  return {
    seq: batch.seq,
    root: batch.root,
    leafCount: batch.leafCount,
    anchor: confirmed ? { txHash: batch.txHash!, blockNumber: Number(batch.blockNumber), blockHash: batch.blockHash! } : null,
  };
}
