import { type DynamicModule, Global, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { AppConfig } from './app-config';

/** Key under which ConfigService holds the typed object (`config.get('ordertrace')`). */
export const APP_CONFIG_KEY = 'ordertrace';

/**
 * Makes the boot-time AppConfig injectable everywhere, by its class. The object is parsed
 * before Nest starts (loadAppConfig) so that a bad environment ends the process with a clear
 * message instead of a stack trace.
 */
@Global()
@Module({})
export class AppConfigModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppConfigModule,
      imports: [ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, cache: true, load: [() => ({ [APP_CONFIG_KEY]: config })] })],
      providers: [
        {
          provide: AppConfig,
          inject: [ConfigService],
          useFactory: (configService: ConfigService) => configService.getOrThrow<AppConfig>(APP_CONFIG_KEY),
        },
      ],
      exports: [AppConfig],
    };
  }
}
