import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { type HealthDto, HealthService, type ReadinessDto } from './health.service';
import { Access } from '../auth/access.decorator';

@ApiTags('health')
@Access.public()
@Controller()
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Get('healthz')
  @ApiOperation({ summary: 'Liveness: the process is up' })
  liveness(): HealthDto {
    return this.health.liveness();
  }

  @Get('readyz')
  @ApiOperation({
    summary: 'Readiness: 503 only while the database is unreachable; 200 "degraded" with reasons while anchoring is not keeping up',
  })
  readiness(): Promise<ReadinessDto> {
    return this.health.readiness();
  }
}
