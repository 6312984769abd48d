import { Controller, Get, Header, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';
import { TrustAnchorsService } from './trust-anchors.service';
import { Access } from '../auth/access.decorator';

@ApiTags('public')
@UseGuards(ThrottlerGuard)
@Access.public()
@Controller('public')
export class TrustController {
  constructor(private readonly trust: TrustAnchorsService) {}

  @Get('trust.json')
  @Header('Content-Type', 'application/json; charset=utf-8')
  // Short: a rotated contract must reach verifiers soon; the file itself is public.
  @Header('Cache-Control', 'public, max-age=300')
  @ApiOperation({
    summary: 'The operator’s ordertrace-trust/1 file: chain id, OrderAnchor contract and JSON-RPC endpoints to verify against',
  })
  @ApiProduces('application/json')
  @ApiOkResponse({ description: 'An ordertrace-trust/1 document (docs/proof-spec.md §Trust anchors)' })
  trustFile(): Promise<string> {
    return this.trust.trustFileText();
  }
}
