import { Injectable } from '@nestjs/common';
import { withChainTimeout } from '../../proof/timeout';
import { ChainConnection } from '../anchoring/chain-connection';
import { DomainError, ErrorCode, invalidField } from '../errors/domain-error';
import { type BatchDto, type BatchPageDto, type ListBatchesQueryDto, mapBatch } from './batches.dto';
import { BatchesRepository } from './batches.repository';

const DEFAULT_PAGE_SIZE = 50;
const HEAD_LOOKUP_MS = 2_000;

/** Read side of batches for the API: newest first, with confirmation counts from the chain head. */
@Injectable()
export class BatchesService {
  constructor(
    private readonly batches: BatchesRepository,
    private readonly chain: ChainConnection,
  ) {}

  async list(query: ListBatchesQueryDto): Promise<BatchPageDto> {
    const limit = query.limit === undefined ? DEFAULT_PAGE_SIZE : Number(query.limit);
    const before = query.cursor === undefined ? null : Number(query.cursor);
    const rows = await this.batches.list(limit + 1, before);
    const page = rows.slice(0, limit);
    const head = page.some((b) => b.status === 'confirmed') ? await this.headBlock() : null;
    return {
      items: page.map((b) => mapBatch(b, head)),
      nextCursor: rows.length > limit ? String(page[page.length - 1].seq) : null,
    };
  }

  async get(seqText: string): Promise<BatchDto> {
    if (!/^[1-9]\d{0,9}$/.test(seqText) || Number(seqText) > 2_147_483_647)
      throw invalidField('seq', 'must be a batch number (a positive integer)');
    const batch = await this.batches.findBySeq(Number(seqText));
    if (batch === null) throw new DomainError(ErrorCode.BATCH_NOT_FOUND, `No batch ${seqText}`);
    return mapBatch(batch, batch.status === 'confirmed' ? await this.headBlock() : null);
  }

  /** The chain head, or null when the chain does not answer quickly: the API does not wait for it. */
  private async headBlock(): Promise<number | null> {
    try {
      return await withChainTimeout('eth_blockNumber', this.chain.headBlock(), HEAD_LOOKUP_MS);
    } catch {
      return null;
    }
  }
}
