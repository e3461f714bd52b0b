/**
 * What each dialect fills into the migration text, so the SQLite and PostgreSQL schemas are written
 * once and cannot drift apart.
 */
export interface ColumnTypes {
  /** Which database the text is for, where the SQL itself differs (triggers, functions). */
  readonly dialect: 'sqlite' | 'postgres';
  /** 64-bit integer: epoch milliseconds, counters. */
  readonly bigint: string;
  /** Auto-incrementing integer primary key. */
  readonly serialKey: string;
}
