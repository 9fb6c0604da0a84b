import { join } from 'node:path';
import { DataSourceOptions } from 'typeorm';
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
  };
}
