/** PostgreSQL migrations: the numbered migrations of src/store/migrations/ with PostgreSQL's column types. */
import type { Migration } from '../migration-runner.js';
import type { ColumnTypes } from '../migrations/column-types.js';
import { migrationsFor } from '../migrations/index.js';

export const postgresColumnTypes: ColumnTypes = {
  dialect: 'postgres',
  bigint: 'BIGINT',
  serialKey: 'BIGSERIAL PRIMARY KEY',
};

export const postgresMigrations: readonly Migration[] = migrationsFor(postgresColumnTypes);
