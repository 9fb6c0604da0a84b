import { join } from 'node:path';
import { DataSourceOptions, Logger } from 'typeorm';
import { postgresErrorsTotal } from '@assent/metrics';
import { ENTITIES } from './entities';

/** One definition of the database connection for the processes and the migration command. */
export function dataSourceOptions(databaseUrl: string): DataSourceOptions {
  return {
    type: 'postgres',
    url: databaseUrl,
    entities: ENTITIES,
    // Migrations are compiled next to this file's build output: dist/migrations/*.js.
    migrations: [join(__dirname, '..', '..', '..', 'migrations', '*.js')],
    // The schema is only ever changed by reviewed migrations.
    synchronize: false,
    migrationsRun: false,
    extra: { max: 10, connectionTimeoutMillis: 2000 },
    logger: COUNTING_LOGGER,
  };
}

// The failures themselves reach the log through the calls that fail; this only counts them.
const COUNTING_LOGGER: Logger = {
  logQuery: () => undefined,
  logQueryError: () => postgresErrorsTotal.inc(),
  logQuerySlow: () => undefined,
  logSchemaBuild: () => undefined,
  logMigration: () => undefined,
  // The pg pool's connection errors arrive here as warnings.
  log: (level) => {
    if (level === 'warn') postgresErrorsTotal.inc();
  },
};
