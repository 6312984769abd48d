import { NoStore } from '../http/no-store';
import { Controller, Get, Header, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access } from '../auth/access.decorator';
import { AuditLogPageDto, AuditLogQueryDto } from './audit-trail.dto';
import { AuditTrailService } from './audit-trail.service';

const DEFAULT_PAGE = 100;

@ApiTags('audit')
@NoStore()
@Controller('v1/audit-log')
export class AuditTrailController {
  constructor(private readonly trail: AuditTrailService) {}

  // The whole trail: a hash chain can only be checked whole, and it names ids, never private values.
  @Get()
  @Access('operator', 'auditor')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'The audit trail of privileged actions, hash-chained, in seq order (`ordertrace audit --api --key` checks it)' })
  @ApiOkResponse({ type: AuditLogPageDto })
  page(@Query() query: AuditLogQueryDto): Promise<AuditLogPageDto> {
    return this.trail.page(Number(query.after ?? '0'), Number(query.limit ?? DEFAULT_PAGE));
  }
}
