import { AuditTrailModule } from './audit-trail/audit-trail.module';
import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import { AnchoringModule } from './anchoring/anchoring.module';
import { AccessGuard } from './auth/access.guard';
import { AuthModule } from './auth/auth.module';
import { BatchesModule } from './batches/batches.module';
import { BrandsModule } from './brands/brands.module';
import { BundlesModule } from './bundles/bundles.module';
import { ConsolePageModule } from './console-page/console-page.module';
import { GrantsModule } from './grants/grants.module';
import { AppConfig } from './config/app-config';
import { AppConfigModule } from './config/app-config.module';
import { DatabaseModule } from './database/database.module';
import { EpcisModule } from './epcis/epcis.module';
import { FlagsModule } from './flags/flags.module';
import { ProblemDetailsFilter } from './errors/problem-details.filter';
import { createValidationPipe } from './errors/validation.pipe';
import { COMMON_BODY_CHECKS } from './orders/common-body-check';
import { HealthModule } from './health/health.module';
import { loggerParams } from './http/logger-params';
import { OrdersModule } from './orders/orders.module';
import { OrderLinksModule } from './order-links/order-links.module';
import { PublicApiModule } from './public-api/public-api.module';
import { StatsModule } from './stats/stats.module';
import { VerifierPageModule } from './verifier-page/verifier-page.module';
import { WebhooksModule } from './webhooks/webhooks.module';

/**
 * Feature modules of the service. A new feature adds its module here and imports what it uses
 * (AppConfigModule for AppConfig, AuthModule for its guards, OrdersModule for the order
 * aggregate's service); nothing is global. Modules that
 * must not run in some configurations (e.g. sealing with ORDERTRACE_ANCHORING=off) decide so
 * from `config` here or inside their own forRoot.
 */
function featureModules(config: AppConfig): NonNullable<DynamicModule['imports']> {
  void config;
  return [
    HealthModule,
    BrandsModule,
    GrantsModule,
    OrdersModule,
    BatchesModule,
    AnchoringModule,
    BundlesModule,
    OrderLinksModule,
    PublicApiModule,
    VerifierPageModule,
    ConsolePageModule,
    EpcisModule,
    FlagsModule,
    StatsModule,
    AuditTrailModule,
    WebhooksModule,
  ];
}

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AppConfigModule.forRoot(config),
        LoggerModule.forRootAsync({ imports: [AppConfigModule], inject: [AppConfig], useFactory: loggerParams }),
        DatabaseModule,
        AuthModule,
        ...featureModules(config),
      ],
      providers: [
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        // Every route, whichever module declares it, says who may call it (server/auth/access.decorator.ts).
        { provide: APP_GUARD, useExisting: AccessGuard },
        { provide: APP_PIPE, useFactory: () => createValidationPipe(COMMON_BODY_CHECKS) },
      ],
    };
  }
}
