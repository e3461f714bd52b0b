/** PostgreSQL migrations, forward-only and numbered. Append; never edit a released one. */
import { coreTables, type ColumnTypes } from '../migrations/001-durable-core.js';
import { flowTables } from '../migrations/002-finance-flows.js';
import { insightTables } from '../migrations/004-reconciliations-and-alerts.js';
import { mappingSetPublication } from '../migrations/006-mapping-set-publication.js';
import { opsTables } from '../migrations/003-operations.js';
import { periodTables } from '../migrations/007-period-calendar-overrides.js';
import type { Migration } from '../migration-runner.js';
import { supplierTables } from '../migrations/008-supplier-states.js';

export const postgresColumnTypes: ColumnTypes = {
  bigint: 'BIGINT',
  serialKey: 'BIGSERIAL PRIMARY KEY',
};

export const postgresMigrations: readonly Migration[] = [
  { version: 1, name: 'durable core', statements: coreTables(postgresColumnTypes) },
  { version: 2, name: 'finance flows', statements: flowTables(postgresColumnTypes) },
  { version: 4, name: 'reconciliations and alerts', statements: insightTables(postgresColumnTypes) },
  { version: 6, name: 'mapping set publication', statements: mappingSetPublication(postgresColumnTypes) },
  { version: 8, name: 'supplier states', statements: supplierTables(postgresColumnTypes) },
  { version: 3, name: 'operations', statements: opsTables(postgresColumnTypes) },
  { version: 7, name: 'period calendar overrides', statements: periodTables(postgresColumnTypes) },
];
