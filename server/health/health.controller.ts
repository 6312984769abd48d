import { Controller, Get, Header, type OnModuleInit, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { MetricsService } from '../metrics/metrics.service';
import { type HealthDto, HealthService, type ReadinessDto } from './health.service';
import { Access } from '../auth/access.decorator';

@ApiTags('health')
@Access.public()
@Controller()
export class HealthController implements OnModuleInit {
  constructor(
    private readonly health: HealthService,
    private readonly metrics: MetricsService,
  ) {}

  onModuleInit(): void {
    this.metrics.addScrapedGauges(this.health.gaugeDefinitions(), () => this.health.gauges());
  }

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

  @Get('metrics')
  @Access('operator', 'metrics')
  @ApiProduces('text/plain')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Prometheus metrics (text exposition); needs METRICS_TOKEN or the admin token' })
  async metricsText(@Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const { contentType, text } = await this.metrics.exposition();
    void reply.type(contentType);
    return text;
  }
}
