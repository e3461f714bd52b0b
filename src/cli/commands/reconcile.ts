/**
 * `ledgerlink reconcile --from YYYY-MM-DD --to YYYY-MM-DD [--entity E] [--process P…] [--format json|csv]
 * [--out FILE] [--db] [--config]` — reconciles source approvals against ERP postings for the period,
 * keeps the result (audited as `cli:<os user>`) and prints it, or writes it to FILE. Exit 0 when nothing
 * is missing, duplicated or mismatched; 1 when there are findings; 2 for usage or configuration errors.
 */
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parsePeriod, runReconciliation, type Reconciliation } from '../../insights/reconciliation/store.js';
import { reconciliationCsv } from '../../insights/reconciliation/csv.js';
import { maskPansDeep } from '../../security/pan-masking.js';
import { EXIT_FAILURE, EXIT_OK, UsageError, type CommandIo } from '../cli-support.js';
import { cliActor, withHub } from '../session.js';

export interface ReconcileOptions {
  readonly from: string;
  readonly to: string;
  readonly entity?: string;
  readonly process?: readonly string[];
  readonly format?: string;
  readonly out?: string;
  readonly db?: string;
  readonly config?: string;
}

function hasFindings(rec: Reconciliation): boolean {
  const c = rec.counts;
  return c.missing + c.duplicated + c.amountMismatches + c.notFoundInErp > 0;
}

export async function runReconcile(options: ReconcileOptions, io: CommandIo): Promise<number> {
  const format = options.format ?? 'json';
  if (format !== 'json' && format !== 'csv') throw new UsageError(`--format must be json or csv, not ${format}`);
  try {
    parsePeriod(options.from, options.to);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const rec = await withHub({ ...options, connectors: true }, async (hub) => {
    const inputs = hub.reconciliation;
    return runReconciliation(
      hub.store,
      {
        from: options.from,
        to: options.to,
        ...(options.entity === undefined ? {} : { entity: options.entity }),
        ...(options.process === undefined ? {} : { processes: options.process }),
        actor: cliActor(),
        sources: await inputs.readSources(options.from, options.to),
        erpSystems: inputs.erpSystems,
        ...(inputs.checkInErp === undefined ? {} : { checkInErp: inputs.checkInErp }),
      },
      Date.now(),
    );
  });
  const output = format === 'csv' ? reconciliationCsv(rec) : `${JSON.stringify(maskPansDeep(rec), null, 2)}\n`;
  if (options.out === undefined) io.out(output.replace(/\r?\n$/, ''));
  else {
    writeFileSync(options.out, output);
    const c = rec.counts;
    io.out(
      `Reconciliation ${rec.id} written to ${options.out}: ${c.approved} approved, ${c.posted} posted, ${c.missing} missing, ${c.duplicated} duplicated, ${c.amountMismatches} amount mismatches, ${c.notFoundInErp} not found in the ERP`,
    );
  }
  for (const source of rec.sources)
    if (source.error !== null) io.err(`warning: ${source.system} could not be read: ${source.error}`);
  return hasFindings(rec) ? EXIT_FAILURE : EXIT_OK;
}

export function registerReconcileCommand(program: Command, io: CommandIo, setExit: (code: number) => void): void {
  program
    .command('reconcile')
    .description('reconcile source approvals against ERP postings for a period; exit 1 when there are findings')
    .requiredOption('--from <date>', 'first day of the period (YYYY-MM-DD, UTC)')
    .requiredOption('--to <date>', 'last day of the period, included')
    .option('--entity <code>', 'only this legal entity (company code)')
    .option('--process <flow...>', 'only these processes (flows)')
    .option('--format <format>', 'json or csv', 'json')
    .option('--out <file>', 'write to this file instead of standard output')
    .option('--db <location>', 'SQLite path or postgres:// URL (LEDGERLINK_DB)')
    .option('--config <file>', 'configuration file (LEDGERLINK_CONFIG)')
    .action(async (options: ReconcileOptions) => setExit(await runReconcile(options, io)));
}
