import { type DynamicModule, Module } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { AppConfig } from './app-config';

/**
 * The configuration object the application was created with. Only AppModule.forRoot provides it,
 * under this token; AppConfigModule hands it on as AppConfig to the modules that import it.
 */
const BOOT_CONFIG = Symbol('ordertrace.boot-config');

/** Holds the boot-time configuration of one application; imported once, by AppModule. */
@Module({})
class BootConfigModule {}

/**
 * AppConfig for the modules that import this one, by its class. The object is parsed before Nest
 * starts (loadAppConfig) so that a bad environment ends the process with a clear message instead
 * of a stack trace; it is provided as it is, with nothing in between.
 *
 * Feature modules are static, so they cannot carry a value parsed at run time; AppModule.forRoot
 * registers it once and this module's provider reads it from the application it belongs to
 * (`strict: false` looks beyond this module). Each application — tests start several in one
 * process — so sees its own configuration, and no module is global.
 */
@Module({
  providers: [
    { provide: AppConfig, inject: [ModuleRef], useFactory: (ref: ModuleRef): AppConfig => ref.get(BOOT_CONFIG, { strict: false }) },
  ],
  exports: [AppConfig],
})
export class AppConfigModule {
  /** For AppModule only: the configuration every importer of AppConfigModule receives. */
  static forRoot(config: AppConfig): DynamicModule {
    return { module: BootConfigModule, providers: [{ provide: BOOT_CONFIG, useValue: config }] };
  }
}
