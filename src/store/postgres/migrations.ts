/** PostgreSQL migrations, forward-only and numbered. Append; never edit a released one. */
import { coreTables, type ColumnTypes } from '../core-tables.js';
import { flowTables } from '../flow-tables.js';
import { periodTables } from '../period-tables.js';
import type { Migration } from '../migration-runner.js';

export const postgresColumnTypes: ColumnTypes = {
  bigint: 'BIGINT',
  serialKey: 'BIGSERIAL PRIMARY KEY',
};

export const postgresMigrations: readonly Migration[] = [
  { version: 1, name: 'durable core', statements: coreTables(postgresColumnTypes) },
  { version: 2, name: 'finance flows', statements: flowTables(postgresColumnTypes) },
  { version: 7, name: 'period calendar overrides', statements: periodTables(postgresColumnTypes) },
];
