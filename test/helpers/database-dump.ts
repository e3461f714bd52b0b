/**
 * Every value of every table of a test store as text, the way a database dump would show them:
 * SQLite tables from sqlite_master, PostgreSQL tables of the store's own schema. For "nothing secret
 * in clear" checks.
 */
import { sql } from 'kysely';
import type { Store } from '../../src/store/port.js';

export async function tableNames(store: Store): Promise<string[]> {
  const query =
    store.dialect === 'sqlite'
      ? sql<{
          name: string;
        }>`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`
      : sql<{
          name: string;
        }>`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name`;
  const { rows } = await query.execute(store.db);
  return rows.map((r) => r.name);
}

/** `table: value | value | …` lines for every row of every table. */
export async function dumpDatabase(store: Store): Promise<string> {
  const lines: string[] = [];
  for (const table of await tableNames(store)) {
    const { rows } = await sql<Record<string, unknown>>`SELECT * FROM ${sql.table(table)}`.execute(store.db);
    for (const row of rows)
      lines.push(
        `${table}: ${Object.values(row)
          .map((v) => String(v))
          .join(' | ')}`,
      );
  }
  return lines.join('\n');
}

/** The text columns of one table for one row id, as stored. */
export async function storedRow(store: Store, table: string, id: string): Promise<Record<string, unknown>> {
  const { rows } = await sql<Record<string, unknown>>`SELECT * FROM ${sql.table(table)} WHERE id = ${id}`.execute(
    store.db,
  );
  const row = rows[0];
  if (row === undefined) throw new Error(`no ${table} row ${id}`);
  return row;
}
