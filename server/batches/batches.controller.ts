import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access } from '../auth/access.decorator';
import { BatchDto, BatchPageDto, ListBatchesQueryDto } from './batches.dto';
import { BatchesService } from './batches.service';
import { NoStore } from '../http/no-store';

@ApiTags('batches')
// Batches are the service's, no brand's: roots, counts and anchoring, nothing private.
@Access('operator', 'brand:read', 'auditor')
@NoStore()
@Controller('v1/batches')
export class BatchesController {
  constructor(private readonly batches: BatchesService) {}

  @Get()
  @ApiOperation({ summary: 'List sealed batches and their anchoring state, newest first' })
  @ApiOkResponse({ type: BatchPageDto })
  list(@Query() query: ListBatchesQueryDto): Promise<BatchPageDto> {
    return this.batches.list(query);
  }

  @Get(':seq')
  @ApiOperation({ summary: 'Get a batch: status, root, leaf count, transaction, block and confirmations' })
  @ApiOkResponse({ type: BatchDto })
  @ApiNotFoundResponse({ description: 'No batch with this seq' })
  get(@Param('seq') seq: string): Promise<BatchDto> {
    return this.batches.get(seq);
  }
}
