import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../config/app-config';
import { buildDataSourceOptions, initializeDataSource } from './data-source-options';

/** The DataSource of the configured database, migrated before the app takes requests. */
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
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
})
export class DatabaseModule {}
