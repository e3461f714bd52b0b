/**
 * `ledgerlink connectors check [--config FILE] [--system NAME] [--json]` — checks each configured
 * tenant, read only, against the facts its connector relies on (SAP `$metadata` of every service
 * used, one cheap read per Concur, Coupa and SCIM endpoint with the answer's shape and the token's
 * scopes). Exit 0 when every fact holds, 1 on a difference, 2 for a usage or configuration error.
 */
import type { Command } from 'commander';
import { checkConnectorContracts, type SystemCheckReport } from '../../composition/contract-checks.js';
import { loadConfig } from '../../config/load-config.js';
import { EXIT_FAILURE, EXIT_OK, UsageError, type CommandIo } from '../cli-support.js';

export interface ConnectorsCheckOptions {
  readonly config?: string;
  readonly system?: string;
  readonly json?: boolean;
}

function describe(reports: readonly SystemCheckReport[], io: CommandIo): void {
  for (const report of reports) {
    const differences = report.findings.filter((f) => !f.ok).length;
    io.out(`${report.system} (${report.kind}, ${report.role}): ${report.ok ? 'OK' : `${differences} difference(s)`}`);
    for (const finding of report.findings) {
      io.out(
        `  ${finding.ok ? 'ok  ' : 'DIFF'} ${finding.check}${finding.detail === undefined ? '' : `: ${finding.detail}`}`,
      );
    }
  }
}

export async function runConnectorsCheck(options: ConnectorsCheckOptions, io: CommandIo): Promise<number> {
  const config = await loadConfig({ path: options.config });
  if (options.system !== undefined && config.systems[options.system] === undefined) {
    throw new UsageError(`No system ${options.system} in the configuration`);
  }
  const reports = await checkConnectorContracts(
    config,
    undefined,
    options.system === undefined ? {} : { only: options.system },
  );
  if (options.json === true) io.out(JSON.stringify({ ok: reports.every((r) => r.ok), systems: reports }));
  else describe(reports, io);
  return reports.every((r) => r.ok) ? EXIT_OK : EXIT_FAILURE;
}

export function registerConnectorsCheckCommand(
  connectors: Command,
  io: CommandIo,
  setExit: (code: number) => void,
): void {
  connectors
    .command('check')
    .description(
      'check each configured tenant, read only, against the facts its connector relies on; exit 1 on a difference',
    )
    .option('--config <file>', 'configuration file (LEDGERLINK_CONFIG)')
    .option('--system <name>', 'only this configured system')
    .option('--json', 'JSON output')
    .action(async (options: ConnectorsCheckOptions) => setExit(await runConnectorsCheck(options, io)));
}
