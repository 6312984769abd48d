import { Controller, Get, Param, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { OperatorOrBrandGuard } from '../auth/operator-or-brand.guard';
import { BatchDto, BatchPageDto, ListBatchesQueryDto } from './batches.dto';
import { BatchesService } from './batches.service';
import { NoStore } from '../http/no-store';

@ApiTags('batches')
@ApiBearerAuth('brand-key')
@ApiBearerAuth('admin-token')
@UseGuards(OperatorOrBrandGuard)
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
