import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { type AuditOrigin, CurrentAuditOrigin } from '../audit-trail/audit-origin';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access } from '../auth/access.decorator';
import { type BrandPrincipal, CurrentBrand, CurrentKey, type KeyCaller } from '../auth/brand-principal';
import { CreateGrantDto, GrantDto, GrantListDto } from './grants.dto';
import { GrantsService } from './grants.service';
import { NoStore } from '../http/no-store';

@ApiTags('grants')
@NoStore()
@Controller('v1/grants')
export class GrantsController {
  constructor(private readonly grants: GrantsService) {}

  @Post()
  @Access('brand:admin')
  @ApiOperation({ summary: 'Open one of the brand’s orders, or all of them, to an arbitrator or auditor key' })
  @ApiCreatedResponse({ type: GrantDto })
  create(@CurrentBrand() admin: BrandPrincipal, @CurrentAuditOrigin() origin: AuditOrigin, @Body() dto: CreateGrantDto): Promise<GrantDto> {
    return this.grants.create(admin, origin, dto);
  }

  @Get()
  @Access('brand:admin', 'arbitrator', 'auditor')
  @ApiOperation({ summary: "The brand's grants (admin key), or the live grants an arbitrator or auditor key holds" })
  @ApiOkResponse({ type: GrantListDto })
  list(@CurrentKey() caller: KeyCaller): Promise<GrantListDto> {
    return this.grants.list(caller);
  }

  @Delete(':grantId')
  @Access('brand:admin')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke a grant: the key stops seeing what it opened at once' })
  revoke(
    @CurrentBrand() admin: BrandPrincipal,
    @CurrentAuditOrigin() origin: AuditOrigin,
    @Param('grantId') grantId: string,
  ): Promise<void> {
    return this.grants.revoke(admin, origin, grantId);
  }
}
