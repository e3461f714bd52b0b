/** SQLite migrations: the numbered migrations of src/store/migrations/ with SQLite's column types. */
import type { Migration } from '../migration-runner.js';
import type { ColumnTypes } from '../migrations/column-types.js';
import { migrationsFor } from '../migrations/index.js';

export const sqliteColumnTypes: ColumnTypes = {
  dialect: 'sqlite',
  bigint: 'INTEGER',
  serialKey: 'INTEGER PRIMARY KEY AUTOINCREMENT',
};

export const sqliteMigrations: readonly Migration[] = migrationsFor(sqliteColumnTypes);
