import { Body, Controller, Delete, Get, Header, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type AuditOrigin, CurrentAuditOrigin } from '../audit-trail/audit-origin';
import { Access } from '../auth/access.decorator';
import { ApiKeysService } from './api-keys.service';
import { ApiKeyCreatedDto, ApiKeyListDto, CreateOperatorKeyDto, RotateApiKeyDto } from './brands.dto';
import { NoStore } from '../http/no-store';

// A response that shows a new key must not stay in any cache.
const NO_STORE = 'no-store';

/** Arbitrator and auditor keys: issued by the operator, of no brand; brands open their data to them with grants. */
@ApiTags('keys')
@Access.operator()
@NoStore()
@Controller('v1/keys')
export class OperatorKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @Post()
  @Header('Cache-Control', NO_STORE)
  @ApiOperation({ summary: 'Create an arbitrator or auditor key; the key is shown only here' })
  @ApiCreatedResponse({ type: ApiKeyCreatedDto })
  create(@CurrentAuditOrigin() origin: AuditOrigin, @Body() dto: CreateOperatorKeyDto): Promise<ApiKeyCreatedDto> {
    return this.keys.createForOperator(origin, dto);
  }

  @Get()
  @ApiOperation({ summary: 'List the arbitrator and auditor keys, revoked and expired ones included' })
  @ApiOkResponse({ type: ApiKeyListDto })
  list(): Promise<ApiKeyListDto> {
    return this.keys.list(null);
  }

  @Post(':keyId/rotate')
  @Header('Cache-Control', NO_STORE)
  @ApiOperation({ summary: 'Replace a key with a new one of the same roles; the old key keeps working for the overlap' })
  @ApiCreatedResponse({ type: ApiKeyCreatedDto })
  rotate(
    @CurrentAuditOrigin() origin: AuditOrigin,
    @Param('keyId') keyId: string,
    @Body() dto: RotateApiKeyDto,
  ): Promise<ApiKeyCreatedDto> {
    return this.keys.rotate(origin, null, keyId, dto);
  }

  @Delete(':keyId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke an arbitrator or auditor key' })
  revoke(@CurrentAuditOrigin() origin: AuditOrigin, @Param('keyId') keyId: string): Promise<void> {
    return this.keys.revoke(origin, null, keyId);
  }
}
