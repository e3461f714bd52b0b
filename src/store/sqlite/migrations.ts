/** SQLite migrations, forward-only and numbered. Append; never edit a released one. */
import { coreTables, type ColumnTypes } from '../core-tables.js';
import { flowTables } from '../flow-tables.js';
import { mappingSetPublication } from '../mapping-set-tables.js';
import { opsTables } from '../ops-tables.js';
import { periodTables } from '../period-tables.js';
import type { Migration } from '../migration-runner.js';
import { supplierTables } from '../supplier-tables.js';

export const sqliteColumnTypes: ColumnTypes = {
  bigint: 'INTEGER',
  serialKey: 'INTEGER PRIMARY KEY AUTOINCREMENT',
};

export const sqliteMigrations: readonly Migration[] = [
  { version: 1, name: 'durable core', statements: coreTables(sqliteColumnTypes) },
  { version: 2, name: 'finance flows', statements: flowTables(sqliteColumnTypes) },
  { version: 6, name: 'mapping set publication', statements: mappingSetPublication(sqliteColumnTypes) },
  { version: 8, name: 'supplier states', statements: supplierTables(sqliteColumnTypes) },
  { version: 3, name: 'operations', statements: opsTables(sqliteColumnTypes) },
  { version: 7, name: 'period calendar overrides', statements: periodTables(sqliteColumnTypes) },
];
