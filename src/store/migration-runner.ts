/** Forward-only numbered migrations, shared by both dialects; each dialect supplies its SQL. */
import { sql } from 'kysely';
import { LedgerlinkError } from '../canonical/errors.js';
import type { MigrationStatus, Tx } from './port.js';

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly statements: readonly string[];
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
  const applied: number[] = [];
  for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
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
