import { Controller, Get, Param, Query, Res, UseGuards } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { HttpResponse } from '../http/http-types';
import { PublicBatchDto, PublicBatchListDto, PublicBatchListQueryDto, PublicBatchQueryDto } from './public-batches.dto';
import { PublicBatchesService } from './public-batches.service';
import { Access } from '../auth/access.decorator';

/** Leaves and root never change once sealed; the anchor can still (on a reorg) until confirmed. */
const FINAL_CACHE = 'public, max-age=86400, immutable';
const OPEN_CACHE = 'no-cache';

@ApiTags('public')
@UseGuards(ThrottlerGuard)
@Access.public()
@Controller('public/batches')
export class PublicBatchesController {
  constructor(private readonly batches: PublicBatchesService) {}

  @Get()
  @ApiOperation({ summary: 'Sealed batches in seq order: root, leaf count and anchor (for auditors; no key needed)' })
  @ApiOkResponse({ type: PublicBatchListDto })
  async list(@Query() query: PublicBatchListQueryDto, @Res({ passthrough: true }) res: HttpResponse): Promise<PublicBatchListDto> {
    void res.header('Cache-Control', OPEN_CACHE);
    return this.batches.list(query);
  }

  @Get(':seq')
  @ApiOperation({
    summary: 'A sealed batch’s leaf hashes in tree order, its root and its anchor; page large batches with offset and limit',
  })
  @ApiOkResponse({ type: PublicBatchDto })
  @ApiNotFoundResponse({ description: 'No sealed batch with this seq' })
  async get(
    @Param('seq') seq: string,
    @Query() query: PublicBatchQueryDto,
    @Res({ passthrough: true }) res: HttpResponse,
  ): Promise<PublicBatchDto> {
    const { batch, final } = await this.batches.get(seq, query);
    void res.header('Cache-Control', final ? FINAL_CACHE : OPEN_CACHE);
    return batch;
  }
}
