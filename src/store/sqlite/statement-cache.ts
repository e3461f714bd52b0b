/**
 * The connection as Kysely's SQLite dialect sees it, with prepared statements kept: the dialect
 * prepares every query it runs, and preparing costs more than running most of the hub's small
 * queries. Statements are kept by their SQL text, the least recently used dropped beyond `capacity`
 * (SQL with lists of varying length makes many texts). SQLite re-prepares a kept statement itself
 * when the schema changed under it. The hub never streams query results, so a kept statement is
 * never busy iterating when it is run again.
 */
import type BetterSqlite3 from 'better-sqlite3';

export const DEFAULT_STATEMENT_CAPACITY = 512;

export function withStatementCache(
  raw: BetterSqlite3.Database,
  capacity = DEFAULT_STATEMENT_CAPACITY,
): Pick<BetterSqlite3.Database, 'prepare' | 'close'> {
  const kept = new Map<string, BetterSqlite3.Statement>();
  return {
    prepare(source: string) {
      const found = kept.get(source);
      if (found !== undefined) {
        kept.delete(source);
        kept.set(source, found);
        return found;
      }
      const statement = raw.prepare(source);
      kept.set(source, statement);
      if (kept.size > capacity) kept.delete(kept.keys().next().value!);
      return statement;
    },
    close() {
      kept.clear();
      return raw.close();
    },
  } as Pick<BetterSqlite3.Database, 'prepare' | 'close'>;
}
