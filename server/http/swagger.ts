import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

export const DOCS_PATH = 'docs';

/** The OpenAPI document of every controller of `app` (which may be a preview: nothing connected). */
export function openApiDocument(app: INestApplication): OpenAPIObject {
  return SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('ordertrace')
      .setDescription(
        'Blockchain-anchored order traceability. Brands send lifecycle events; each is hashed into a ' +
          'canonical leaf, chained to the previous event and later anchored on an EVM chain. Errors are ' +
          'RFC 9457 problem details (application/problem+json) naming the offending field.',
      )
      .setVersion('1')
      .addBearerAuth(
        {
          type: 'http',
          scheme: 'bearer',
          description:
            "API key (otk_…). A brand's keys hold brand:admin, brand:write or brand:read; the operator's arbitrator and auditor keys " +
            "read a brand's orders through its grants. Each operation's x-access names who may call it.",
        },
        'api-key',
      )
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'Operator admin token' }, 'admin-token')
      .addBearerAuth(
        { type: 'http', scheme: 'bearer', description: 'Metrics token (METRICS_TOKEN), for GET /metrics only' },
        'metrics-token',
      )
      .build(),
  );
}

/** The OpenAPI document served at /docs (JSON at /docs-json). */
export function setupSwagger(app: INestApplication): void {
  SwaggerModule.setup(DOCS_PATH, app, openApiDocument(app));
}
