/**
 * `ledgerlink drift [--target SYSTEM] [--json] [--config FILE] [--db LOCATION]` — compares the master
 * data the hub holds with what each target system offers (see hub/master-data/drift.ts).
 * Prints, per target and dimension, what is missing, stale, inactive in the target, still active after
 * retirement, and unexpected. Exit 0 when the targets are aligned, 1 when drift is found (or a target
 * cannot be read), 2 for a usage or configuration error.
 */
import type { Command } from 'commander';
import type { DriftReport } from '../../hub/master-data/drift.js';
import { EXIT_FAILURE, EXIT_OK, type CommandIo } from '../cli-support.js';
import { withHub } from '../session.js';

export interface DriftOptions {
  readonly db?: string;
  readonly config?: string;
  readonly target?: string;
  readonly json?: boolean;
}

const LISTS = ['missing', 'stale', 'inactiveInTarget', 'activeAfterRetirement', 'unexpected'] as const;

function describe(report: DriftReport, io: CommandIo): void {
  for (const target of report.targets) {
    io.out(
      `${target.system} (${target.role}): ${target.error !== undefined ? `not readable: ${target.error}` : target.drift ? 'DRIFT' : 'aligned'}`,
    );
    for (const [dimension, drift] of Object.entries(target.dimensions)) {
      const counts = LISTS.map((l) => `${l} ${drift[l].length}`).join(', ');
      io.out(`  ${dimension}: ${counts}`);
      for (const list of LISTS) {
        if (list === 'unexpected') continue;
        for (const item of drift[list]) io.out(`    ${list}: ${item.key}${'name' in item ? ` ${item.name}` : ''}`);
      }
    }
  }
  io.out(report.drift ? `Drift found (as of ${report.asOf}).` : `No drift (as of ${report.asOf}).`);
}

export async function runDrift(options: DriftOptions, io: CommandIo): Promise<number> {
  const report = await withHub({ ...options, connectors: true }, (hub) => hub.masterData.drift(options.target));
  if (options.json === true) io.out(JSON.stringify(report));
  else describe(report, io);
  return report.drift ? EXIT_FAILURE : EXIT_OK;
}

export function registerDriftCommand(program: Command, io: CommandIo, setExit: (code: number) => void): void {
  program
    .command('drift')
    .description('compare the master data the hub holds with each target system; exit 1 when they differ')
    .option('--target <system>', 'only this target system')
    .option('--json', 'print the report as one JSON line')
    .option('--config <file>', 'configuration file (LEDGERLINK_CONFIG)')
    .option('--db <location>', 'SQLite path or postgres:// URL (LEDGERLINK_DB)')
    .action(async (options: DriftOptions) => setExit(await runDrift(options, io)));
}
