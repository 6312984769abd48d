import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type AuditOrigin, CurrentAuditOrigin } from '../audit-trail/audit-origin';
import { Access } from '../auth/access.decorator';
import { type Caller, CurrentCaller } from '../auth/brand-principal';
import { ApiKeysService } from './api-keys.service';
import { ApiKeyCreatedDto, ApiKeyListDto, BrandDto, BrandListDto, CreateApiKeyDto, CreateBrandDto, RotateApiKeyDto } from './brands.dto';
import { BrandsService } from './brands.service';
import { NoStore } from '../http/no-store';

@ApiTags('brands')
@NoStore()
@Controller('v1/brands')
export class BrandsController {
  constructor(
    private readonly brands: BrandsService,
    private readonly keys: ApiKeysService,
  ) {}

  @Post()
  @Access.operator()
  @ApiOperation({ summary: 'Create a brand' })
  @ApiCreatedResponse({ type: BrandDto })
  create(@CurrentAuditOrigin() origin: AuditOrigin, @Body() dto: CreateBrandDto): Promise<BrandDto> {
    return this.brands.create(origin, dto);
  }

  @Get()
  @Access.operator()
  @ApiOperation({ summary: 'List the brands' })
  @ApiOkResponse({ type: BrandListDto })
  list(): Promise<BrandListDto> {
    return this.brands.list();
  }

  @Post(':id/keys')
  @Access('operator', 'brand:admin')
  @ApiOperation({ summary: "Create an API key for a brand (by the operator or the brand's admin key); the key is shown only here" })
  @ApiCreatedResponse({ type: ApiKeyCreatedDto })
  createKey(
    @CurrentCaller() caller: Caller,
    @CurrentAuditOrigin() origin: AuditOrigin,
    @Param('id') brandId: string,
    @Body() dto: CreateApiKeyDto,
  ): Promise<ApiKeyCreatedDto> {
    return this.keys.createForBrand(caller, origin, brandId, dto);
  }

  @Get(':id/keys')
  @Access('operator', 'brand:admin')
  @ApiOperation({ summary: "List a brand's API keys, revoked and expired ones included" })
  @ApiOkResponse({ type: ApiKeyListDto })
  listKeys(@CurrentCaller() caller: Caller, @Param('id') brandId: string): Promise<ApiKeyListDto> {
    return this.keys.listForBrand(caller, brandId);
  }

  @Post(':id/keys/:keyId/rotate')
  @Access('operator', 'brand:admin')
  @ApiOperation({ summary: 'Replace a key with a new one of the same roles; the old key keeps working for the overlap' })
  @ApiCreatedResponse({ type: ApiKeyCreatedDto })
  rotateKey(
    @CurrentCaller() caller: Caller,
    @CurrentAuditOrigin() origin: AuditOrigin,
    @Param('id') brandId: string,
    @Param('keyId') keyId: string,
    @Body() dto: RotateApiKeyDto,
  ): Promise<ApiKeyCreatedDto> {
    return this.keys.rotateForBrand(caller, origin, brandId, keyId, dto);
  }

  @Delete(':id/keys/:keyId')
  @Access('operator', 'brand:admin')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke an API key' })
  revokeKey(
    @CurrentCaller() caller: Caller,
    @CurrentAuditOrigin() origin: AuditOrigin,
    @Param('id') brandId: string,
    @Param('keyId') keyId: string,
  ): Promise<void> {
    return this.keys.revokeForBrand(caller, origin, brandId, keyId);
  }
}
