/** PostgreSQL migrations, forward-only and numbered. Append; never edit a released one. */
import { coreTables, type ColumnTypes } from '../core-tables.js';
import { flowTables } from '../flow-tables.js';
import { mappingSetPublication } from '../mapping-set-tables.js';
import { opsTables } from '../ops-tables.js';
import { periodTables } from '../period-tables.js';
import type { Migration } from '../migration-runner.js';
import { supplierTables } from '../supplier-tables.js';

export const postgresColumnTypes: ColumnTypes = {
  bigint: 'BIGINT',
  serialKey: 'BIGSERIAL PRIMARY KEY',
};

export const postgresMigrations: readonly Migration[] = [
  { version: 1, name: 'durable core', statements: coreTables(postgresColumnTypes) },
  { version: 2, name: 'finance flows', statements: flowTables(postgresColumnTypes) },
  { version: 6, name: 'mapping set publication', statements: mappingSetPublication(postgresColumnTypes) },
  { version: 8, name: 'supplier states', statements: supplierTables(postgresColumnTypes) },
  { version: 3, name: 'operations', statements: opsTables(postgresColumnTypes) },
  { version: 7, name: 'period calendar overrides', statements: periodTables(postgresColumnTypes) },
];
