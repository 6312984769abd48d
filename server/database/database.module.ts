import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../config/app-config';
import { AppConfigModule } from '../config/app-config.module';
import { buildDataSourceOptions, initializeDataSource } from './data-source-options';
import { SqlExecutor } from './sql-executor';
import { UnitOfWork } from './unit-of-work';

/**
 * The DataSource of the configured database, migrated before the app takes requests, and the two
 * ways to run a transaction on it: UnitOfWork (TypeORM's manager) and SqlExecutor (the driver's
 * client, for the ingest hot path).
 */
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      imports: [AppConfigModule],
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        ...buildDataSourceOptions(config.database),
        // A database that is still starting gets a few chances; a wrong URL fails within seconds.
        retryAttempts: 5,
        retryDelay: 2000,
      }),
      dataSourceFactory: async (options) => {
        if (!options) throw new Error('no DataSource options');
        return initializeDataSource(options);
      },
    }),
  ],
  providers: [UnitOfWork, SqlExecutor],
  exports: [UnitOfWork, SqlExecutor],
})
export class DatabaseModule {}
