import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { OpenAPIObject } from '@nestjs/swagger';
import { AppModule } from '../server/app.module';
import { loadAppConfig } from '../server/config/load-app-config';
import { openApiDocument } from '../server/http/swagger';

/**
 * The service's OpenAPI document without running it: the application in Nest's preview mode
 * builds its routes but connects to nothing (the placeholder database URL and key are never used).
 */
export async function buildOpenApiDocument(): Promise<OpenAPIObject> {
  // With DATABASE_URL set nothing is read from or written to a data folder.
  const config = loadAppConfig({
    DATABASE_URL: 'postgres://unused@127.0.0.1:1/unused',
    ORDERTRACE_DATA_KEY: '00'.repeat(32),
    ORDERTRACE_ANCHORING: 'off',
    LOG_LEVEL: 'silent',
  });
  const app = await NestFactory.create(AppModule.forRoot(config), new FastifyAdapter(), {
    preview: true,
    logger: false,
    abortOnError: false,
  });
  try {
    return openApiDocument(app);
  } finally {
    await app.close();
  }
}
