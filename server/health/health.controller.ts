import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { type HealthDto, HealthService, type ReadinessDto } from './health.service';

@ApiTags('health')
@Controller()
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Get('healthz')
  @ApiOperation({ summary: 'Liveness: the process is up' })
  liveness(): HealthDto {
    return this.health.liveness();
  }

  @Get('readyz')
  @ApiOperation({ summary: 'Readiness: the database is reachable (503 otherwise)' })
  readiness(): Promise<ReadinessDto> {
    return this.health.readiness();
  }
}
