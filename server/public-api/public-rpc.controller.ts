import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiExcludeEndpoint } from '@nestjs/swagger';
import { Throttle, ThrottlerGuard } from '@nestjs/throttler';
import { type JsonRpcAnswer, PublicRpcService } from './public-rpc.service';
import { PUBLIC_THROTTLER, RPC_LIMIT_PER_MINUTE } from './public-rate-limit';
import { Access } from '../auth/access.decorator';
import { NoStore } from '../http/no-store';

/** POST /public/rpc: the read-only JSON-RPC allowlist in front of the service's own chain node. */
@UseGuards(ThrottlerGuard)
@Access.public()
@Controller('public')
export class PublicRpcController {
  constructor(private readonly rpc: PublicRpcService) {}

  @Post('rpc')
  @HttpCode(200)
  @NoStore()
  // A page reads a few calls per batch and re-checks while pending: more than the other public routes.
  @Throttle({ [PUBLIC_THROTTLER]: { limit: RPC_LIMIT_PER_MINUTE, ttl: 60_000 } })
  @ApiExcludeEndpoint()
  call(@Body() body: unknown): Promise<JsonRpcAnswer | JsonRpcAnswer[]> {
    return this.rpc.answer(body);
  }
}
