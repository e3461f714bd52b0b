/** SQLite migrations, forward-only and numbered. Append; never edit a released one. */
import { coreTables, type ColumnTypes } from '../migrations/001-durable-core.js';
import { flowTables } from '../migrations/002-finance-flows.js';
import { insightTables } from '../migrations/004-reconciliations-and-alerts.js';
import { mappingSetPublication } from '../migrations/006-mapping-set-publication.js';
import { opsTables } from '../migrations/003-operations.js';
import { periodTables } from '../migrations/007-period-calendar-overrides.js';
import type { Migration } from '../migration-runner.js';
import { supplierTables } from '../migrations/008-supplier-states.js';

export const sqliteColumnTypes: ColumnTypes = {
  bigint: 'INTEGER',
  serialKey: 'INTEGER PRIMARY KEY AUTOINCREMENT',
};

export const sqliteMigrations: readonly Migration[] = [
  { version: 1, name: 'durable core', statements: coreTables(sqliteColumnTypes) },
  { version: 2, name: 'finance flows', statements: flowTables(sqliteColumnTypes) },
  { version: 4, name: 'reconciliations and alerts', statements: insightTables(sqliteColumnTypes) },
  { version: 6, name: 'mapping set publication', statements: mappingSetPublication(sqliteColumnTypes) },
  { version: 8, name: 'supplier states', statements: supplierTables(sqliteColumnTypes) },
  { version: 3, name: 'operations', statements: opsTables(sqliteColumnTypes) },
  { version: 7, name: 'period calendar overrides', statements: periodTables(sqliteColumnTypes) },
];
