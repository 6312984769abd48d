import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { useFastKeccak } from '../proof/fast-keccak';
import { AppModule } from './app.module';
import type { AppConfig } from './config/app-config';
import { setupSwagger } from './http/swagger';

/**
 * The configured application, not yet listening: shared by `main.ts` and the e2e tests so
 * that both run exactly the same setup.
 */
export async function createApp(config: AppConfig): Promise<NestExpressApplication> {
  // Sealing, proofs and audits hash a lot: the WebAssembly keccak, installed before any of it runs.
  await useFastKeccak();
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    // JsonBodyMiddleware parses bodies, after the request logger.
    bodyParser: false,
    bufferLogs: true,
    // Let the caller report a failed start instead of Nest aborting the process.
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  app.flushLogs();
  app.disable('x-powered-by');
  app.enableShutdownHooks();
  setupSwagger(app);
  return app;
}
