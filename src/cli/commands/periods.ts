/**
 * `ledgerlink periods list|open|close` — the period calendar with its overrides. `list` prints the
 * configured closures and every override (one line each); `open ENTITY YYYY-MM --reason …` and
 * `close …` record an operator's decision, audited, as PUT /v1/periods/:entity/:period does.
 */
import type { Command } from 'commander';
import { loadConfig } from '../../config/load-config.js';
import { listPeriods, PeriodOverrideStore, type PeriodOverrideStatus } from '../../hub/periods/period-overrides.js';
import type { Store } from '../../store/port.js';
import { type CommandIo, EXIT_OK, UsageError } from '../cli-support.js';
import { cliActor, withExistingStore } from '../session.js';

export interface PeriodsOptions {
  readonly db?: string;
  readonly config?: string;
  readonly reason?: string;
}

async function withStore<T>(options: PeriodsOptions, work: (store: Store) => Promise<T>): Promise<T> {
  return withExistingStore(options.db, (store) => work(store));
}

export async function runPeriodsList(options: PeriodsOptions, io: CommandIo): Promise<number> {
  const config = await loadConfig({ path: options.config });
  const listing = await withStore(options, async (store) =>
    listPeriods(config.periods, await new PeriodOverrideStore(store).list()),
  );
  for (const [entity, entry] of Object.entries(config.periods)) {
    if (entry.closedBefore !== undefined)
      io.out(
        `${entity}\tbefore ${entry.closedBefore}\tclosed\tconfig\tevery period before ${entry.closedBefore} is closed`,
      );
  }
  for (const p of listing) {
    const by = p.actor === undefined ? '' : ` (${p.actor}, ${new Date(p.updatedAt ?? 0).toISOString()})`;
    io.out(`${p.entity}\t${p.period}\t${p.status}\t${p.source}\t${p.reason}${by}`);
  }
  if (listing.length === 0) io.out('No closed periods and no overrides: every period is open');
  return EXIT_OK;
}

export async function runPeriodsSet(
  status: PeriodOverrideStatus,
  entity: string,
  period: string,
  options: PeriodsOptions,
  io: CommandIo,
): Promise<number> {
  if (options.reason === undefined || options.reason.trim() === '')
    throw new UsageError('Give --reason: it is shown to users and kept in the audit log');
  const reason = options.reason;
  const actor = cliActor();
  const record = await withStore(options, (store) =>
    new PeriodOverrideStore(store).set({ entity, period, status, reason, source: 'operator', actor }),
  );
  io.out(`${record.entity} ${record.period} ${record.status}: ${record.reason}`);
  return EXIT_OK;
}

export function registerPeriodsCommand(program: Command, io: CommandIo, setExit: (code: number) => void): void {
  const periods = program.command('periods').description('the posting period calendar and its overrides');
  const common = (command: Command): Command =>
    command
      .option('--db <location>', 'SQLite path or postgres:// URL (LEDGERLINK_DB)')
      .option('--config <file>', 'ledgerlink.yaml (LEDGERLINK_CONFIG)');
  common(periods.command('list').description('closed periods of the calendar and every override')).action(
    async (options: PeriodsOptions) => setExit(await runPeriodsList(options, io)),
  );
  for (const status of ['open', 'close'] as const) {
    common(
      periods
        .command(`${status} <entity> <period>`)
        .description(`${status} a posting period (YYYY-MM) of a company code, or * for all`),
    )
      .requiredOption('--reason <text>', 'why; kept in the audit log')
      .action(async (entity: string, period: string, options: PeriodsOptions) =>
        setExit(await runPeriodsSet(status === 'open' ? 'open' : 'closed', entity, period, options, io)),
      );
  }
}
