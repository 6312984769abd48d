import { type DynamicModule, Global, Module } from '@nestjs/common';
import { AppConfig } from './app-config';

/**
 * Makes the boot-time AppConfig injectable everywhere, by its class. The object is parsed
 * before Nest starts (loadAppConfig) so that a bad environment ends the process with a clear
 * message instead of a stack trace; it is provided as it is, with nothing in between.
 */
@Global()
@Module({})
export class AppConfigModule {
  static forRoot(config: AppConfig): DynamicModule {
    return { module: AppConfigModule, providers: [{ provide: AppConfig, useValue: config }], exports: [AppConfig] };
  }
}
