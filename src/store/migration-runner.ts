/**
 * Forward-only numbered migrations, shared by both dialects: each is defined once in
 * src/store/migrations/ (version, name, SQL written with the dialect's column types), and each
 * dialect binds the list (migrations/index.ts) to its column types. Applied versions are recorded in
 * `schema_migrations`.
 */
import { sql } from 'kysely';
import { LedgerlinkError } from '../canonical/errors.js';
import type { ColumnTypes } from './migrations/column-types.js';
import type { MigrationStatus, Tx } from './port.js';

/** One migration as written: its number and name, and its SQL for a dialect's column types. */
export interface MigrationDefinition {
  readonly version: number;
  readonly name: string;
  readonly statements: (t: ColumnTypes) => readonly string[];
}

/** One migration bound to a dialect: the SQL that dialect runs. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly statements: readonly string[];
}

/** The table the runner records applied versions in; created before any migration runs. */
export const schemaMigrationsTable = (t: ColumnTypes): string =>
  `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at ${t.bigint} NOT NULL)`;

/**
 * Migrations are listed in the order they apply: versions strictly ascending, so none is repeated
 * and a new one is appended after the last. Gaps are allowed (a released number is never reused).
 */
export function assertAscendingVersions(
  migrations: readonly { readonly version: number; readonly name: string }[],
): void {
  let previous: { readonly version: number; readonly name: string } | undefined;
  for (const m of migrations) {
    if (!Number.isSafeInteger(m.version) || m.version < 1) {
      throw new Error(`Migration '${m.name}' has version ${m.version}; versions are positive integers.`);
    }
    if (previous !== undefined && m.version <= previous.version) {
      throw new Error(
        `Migration ${m.version} '${m.name}' is listed after migration ${previous.version} '${previous.name}': ` +
          'migrations must be listed in strictly ascending version order, each version once.',
      );
    }
    previous = m;
  }
}

export function knownVersion(migrations: readonly Migration[]): number {
  return migrations.reduce((max, m) => Math.max(max, m.version), 0);
}

export async function readStatus(tx: Tx, migrations: readonly Migration[]): Promise<MigrationStatus> {
  const rows = await tx.selectFrom('schema_migrations').select('version').execute();
  const applied = new Set(rows.map((r) => Number(r.version)));
  const current = rows.reduce((max, r) => Math.max(max, Number(r.version)), 0);
  return {
    current,
    known: knownVersion(migrations),
    pending: migrations.filter((m) => !applied.has(m.version)).map((m) => m.version),
  };
}

export function assertNotTooNew(status: MigrationStatus): void {
  if (status.current > status.known) {
    throw new LedgerlinkError(
      'LL_ERR_SCHEMA_TOO_NEW',
      `The database schema is at version ${status.current} but this build of Ledgerlink knows versions up to ${status.known}. ` +
        'A newer Ledgerlink migrated it; run that version, or restore a backup taken before the upgrade.',
      { details: [{ message: 'schema version', current: status.current, known: status.known }] },
    );
  }
}

export async function applyPending(tx: Tx, migrations: readonly Migration[], now: number): Promise<number[]> {
  const status = await readStatus(tx, migrations);
  assertNotTooNew(status);
  assertAscendingVersions(migrations);
  const applied: number[] = [];
  for (const migration of migrations) {
    if (!status.pending.includes(migration.version)) continue;
    for (const statement of migration.statements) {
      await sql.raw(statement).execute(tx);
    }
    await tx
      .insertInto('schema_migrations')
      .values({ version: migration.version, name: migration.name, applied_at: now })
      .execute();
    applied.push(migration.version);
  }
  return applied;
}
