/** `ledgerlink migrate [--db]` — applies pending migrations and prints the versions applied. */
import type { Command } from 'commander';
import { openStore } from '../../store/open-store.js';
import { describeLocation, EXIT_OK, storeLocation, type CommandIo } from '../cli-support.js';

export interface MigrateOptions {
  readonly db?: string;
}

export async function runMigrate(options: MigrateOptions, io: CommandIo): Promise<number> {
  const location = storeLocation(options.db);
  const store = await openStore(location);
  try {
    const before = await store.migrationStatus();
    const after = await store.migrate();
    const applied = before.pending.filter((v) => !after.pending.includes(v));
    if (applied.length === 0)
      io.out(`Schema of ${describeLocation(location)} is up to date at version ${after.current}`);
    else
      io.out(
        `Applied migrations ${applied.join(', ')} to ${describeLocation(location)}; schema is at version ${after.current}`,
      );
    return EXIT_OK;
  } finally {
    await store.close();
  }
}

export function registerMigrateCommand(program: Command, io: CommandIo, setExit: (code: number) => void): void {
  program
    .command('migrate')
    .description('apply pending database migrations')
    .option('--db <location>', 'SQLite path or postgres:// URL (LEDGERLINK_DB)')
    .action(async (options: MigrateOptions) => setExit(await runMigrate(options, io)));
}
