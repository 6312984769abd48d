import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { useFastKeccak } from '../proof/fast-keccak';
import { AppModule } from './app.module';
import type { AppConfig } from './config/app-config';
import { useLeanAsyncResourceBind } from './http/async-resource-bind';
import { registerJsonBodyParser } from './http/json-body-parser';
import { requestId } from './http/logger-params';
import { answerFrameworkError, registerRequestUrlChecks } from './http/request-url';
import { setupSwagger } from './http/swagger';
import { registerHttpMetrics } from './metrics/http-metrics';
import { MetricsService } from './metrics/metrics.service';
import { registerPublicCors } from './public-api/public-cors';

/**
 * The configured application, not yet listening: shared by `main.ts` and the e2e tests so
 * that both run exactly the same setup.
 */
export async function createApp(config: AppConfig): Promise<NestFastifyApplication> {
  // Sealing, proofs and audits hash a lot: the WebAssembly keccak, installed before any of it runs.
  await useFastKeccak();
  useLeanAsyncResourceBind();
  const adapter = new FastifyAdapter({
    bodyLimit: config.http.bodyLimitBytes,
    genReqId: requestId,
    frameworkErrors: answerFrameworkError,
    // request.ip (kept in the audit trail) is the peer unless TRUST_PROXY names the proxies in front.
    trustProxy: typeof config.http.trustProxy === 'object' ? [...config.http.trustProxy] : config.http.trustProxy,
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, {
    // registerJsonBodyParser replaces Nest's parsers (which would also accept form bodies).
    bodyParser: false,
    bufferLogs: true,
    // Let the caller report a failed start instead of Nest aborting the process.
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  app.flushLogs();
  const fastify = app.getHttpAdapter().getInstance();
  registerJsonBodyParser(fastify, { bulk: config.ingest.bulkBodyLimitBytes });
  registerRequestUrlChecks(fastify);
  registerPublicCors(fastify);
  registerHttpMetrics(fastify, app.get(MetricsService, { strict: false }));
  // Declared up front, so that requests keep one shape when AccessGuard attaches the caller.
  fastify.decorateRequest('brandPrincipal', undefined);
  fastify.decorateRequest('caller', undefined);
  app.enableShutdownHooks();
  setupSwagger(app);
  return app;
}
