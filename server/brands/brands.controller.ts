import { Body, Controller, Delete, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminGuard } from '../auth/admin.guard';
import { ApiKeyCreatedDto, BrandDto, CreateApiKeyDto, CreateBrandDto } from './brands.dto';
import { BrandsService } from './brands.service';
import { NoStore } from '../http/no-store';

@ApiTags('brands (admin)')
@ApiBearerAuth('admin-token')
@UseGuards(AdminGuard)
@NoStore()
@Controller('v1/brands')
export class BrandsController {
  constructor(private readonly brands: BrandsService) {}

  @Post()
  @ApiOperation({ summary: 'Create a brand' })
  create(@Body() dto: CreateBrandDto): Promise<BrandDto> {
    return this.brands.create(dto);
  }

  @Post(':id/keys')
  @ApiOperation({ summary: 'Create an API key for a brand; the key is shown only in this response' })
  createKey(@Param('id') brandId: string, @Body() dto: CreateApiKeyDto): Promise<ApiKeyCreatedDto> {
    return this.brands.createApiKey(brandId, dto);
  }

  @Delete(':id/keys/:keyId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke an API key' })
  revokeKey(@Param('id') brandId: string, @Param('keyId') keyId: string): Promise<void> {
    return this.brands.revokeApiKey(brandId, keyId);
  }
}
