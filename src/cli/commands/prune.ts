/**
 * `ledgerlink prune [--dry-run] [--days N]` — payload retention now: payloads older than
 * `retention.payloadDays` (or --days) of finished runs become digest markers; audited with counts.
 */
import type { Command } from 'commander';
import { EXIT_OK, UsageError, type CommandIo } from '../cli-support.js';
import { cliActor, withEngine, type SessionOptions } from '../session.js';

interface PruneOptions extends SessionOptions {
  readonly dryRun?: boolean;
  readonly days?: string;
  readonly json?: boolean;
}

export function registerPruneCommand(program: Command, io: CommandIo, setExit: (code: number) => void): void {
  program
    .command('prune')
    .description('prune stored payloads past retention.payloadDays (runs, effects and audit are kept)')
    .option('--db <location>', 'SQLite path or postgres:// URL (LEDGERLINK_DB)')
    .option('--config <file>', 'configuration file (LEDGERLINK_CONFIG)')
    .option('--days <n>', 'override retention.payloadDays (at least 7)')
    .option('--dry-run', 'count what would be pruned; change nothing')
    .option('--json', 'JSON output')
    .action(async (options: PruneOptions) => {
      const days = options.days === undefined ? undefined : Number(options.days);
      if (days !== undefined && (!Number.isInteger(days) || days < 7))
        throw new UsageError('--days must be a whole number of at least 7');
      const result = await withEngine(options, (engine) =>
        engine.prune({ actor: cliActor(), dryRun: options.dryRun === true, ...(days === undefined ? {} : { days }) }),
      );
      if (result === undefined)
        throw new UsageError('No retention configured: set retention.payloadDays or pass --days');
      if (options.json === true) io.out(JSON.stringify(result));
      else
        io.out(
          `${result.dryRun ? 'dry run: would prune' : 'pruned'} ${result.events} event payload(s), ${result.runs} run input(s), ${result.revisions} revision(s) older than ${result.cutoff}; ${result.idempotencyKeys} expired idempotency key(s)`,
        );
      setExit(EXIT_OK);
    });
}
