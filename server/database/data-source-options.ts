import * as path from 'node:path';
import { DataSource, type DataSourceOptions, MigrationExecutor } from 'typeorm';
import type { DatabaseConfig } from '../config/app-config';
import { pgliteDriver } from './pglite-driver';

/*
 * Entities and migrations are found by convention so that every feature module can add its own
 * without touching this file: entity classes in `server/<module>/*.entity.ts`, migrations in
 * `server/database/migrations/<timestamp>-<Name>.ts`. These files must export only their class:
 * TypeORM loads every exported function of a matched file.
 */
const SOURCE_EXT = path.extname(__filename) === '.ts' ? 'ts' : 'js';
const SERVER_DIR = path.resolve(__dirname, '..');
export const ENTITY_GLOB = path.join(SERVER_DIR, '**', `*.entity.${SOURCE_EXT}`);
export const MIGRATION_GLOB = path.join(SERVER_DIR, 'database', 'migrations', `*.${SOURCE_EXT}`);

/** Arbitrary constant of the advisory lock that keeps concurrent starts from migrating twice. */
const MIGRATION_LOCK_KEY = 7_236_110_471;

/**
 * TypeORM options for the configured database: PostgreSQL through `pg` when DATABASE_URL is set,
 * else the embedded PGlite database. Shared by the server, the CLI (`ordertrace audit`) and tests.
 * Migrations are not run by TypeORM itself but by `openDataSource`, under an advisory lock.
 */
export function buildDataSourceOptions(database: DatabaseConfig): DataSourceOptions {
  const common = {
    type: 'postgres' as const,
    entities: [ENTITY_GLOB],
    migrations: [MIGRATION_GLOB],
    migrationsTableName: 'migrations',
    migrationsRun: false,
    synchronize: false,
    // Query errors carry their parameters; the service logs errors itself, without them.
    logging: false,
    // Migrations own the schema, extensions included.
    installExtensions: false,
  };
  if (database.driver === 'postgres') {
    return { ...common, url: database.url, poolSize: database.poolSize, applicationName: database.applicationName ?? 'ordertrace' };
  }
  return { ...common, driver: pgliteDriver(database.dataDir).driver, poolSize: 1 };
}

/**
 * Brings the schema up to date. Several instances may start together against one PostgreSQL:
 * a session advisory lock lets one migrate while the others wait, then find nothing to do.
 */
export async function runMigrations(dataSource: DataSource): Promise<void> {
  const runner = dataSource.createQueryRunner();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      await new MigrationExecutor(dataSource, runner).executePendingMigrations();
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await runner.release();
  }
}

/** An initialised DataSource with all migrations applied, for the server, the CLI and tests. */
export function openDataSource(database: DatabaseConfig): Promise<DataSource> {
  return initializeDataSource(buildDataSourceOptions(database));
}

export async function initializeDataSource(options: DataSourceOptions): Promise<DataSource> {
  const dataSource = await new DataSource(options).initialize();
  try {
    await runMigrations(dataSource);
  } catch (e) {
    await dataSource.destroy().catch(() => undefined);
    throw e;
  }
  return dataSource;
}
