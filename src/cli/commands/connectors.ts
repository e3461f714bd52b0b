/**
 * `ledgerlink connectors list|resume SYSTEM|check` — connector states, resuming one paused after an auth
 * failure, and the read-only contract check of the configured tenants (connectors-check.ts).
 */
import type { Command } from 'commander';
import { EXIT_OK, type CommandIo } from '../cli-support.js';
import { cliActor, withEngine, type SessionOptions } from '../session.js';
import { registerConnectorsCheckCommand } from './connectors-check.js';

interface ConnectorOptions extends SessionOptions {
  readonly reason?: string;
  readonly json?: boolean;
}

export function registerConnectorsCommand(program: Command, io: CommandIo, setExit: (code: number) => void): void {
  const connectors = program
    .command('connectors')
    .description('connector states (paused after auth failures) and the contract check of the configured tenants');
  connectors
    .command('list')
    .description('connectors that were paused, with their state')
    .option('--db <location>', 'SQLite path or postgres:// URL (LEDGERLINK_DB)')
    .option('--config <file>', 'configuration file (LEDGERLINK_CONFIG)')
    .option('--json', 'JSON output')
    .action(async (options: ConnectorOptions) => {
      const states = await withEngine(options, (engine) => engine.listConnectors());
      if (options.json === true) io.out(JSON.stringify({ connectors: states }));
      else
        for (const s of states)
          io.out(
            `${s.system.padEnd(14)} ${s.status.padEnd(7)} since ${s.since}  ${s.waitingJobs} waiting  ${s.reason ?? ''}`,
          );
      setExit(EXIT_OK);
    });
  connectors
    .command('resume <system>')
    .description('resume a paused connector: its waiting steps run again')
    .option('--db <location>', 'SQLite path or postgres:// URL (LEDGERLINK_DB)')
    .option('--config <file>', 'configuration file (LEDGERLINK_CONFIG)')
    .option('--reason <text>', 'why (kept in the audit log)')
    .option('--json', 'JSON output')
    .action(async (system: string, options: ConnectorOptions) => {
      const result = await withEngine(options, (engine) => engine.resumeConnector(system, cliActor(), options.reason));
      if (options.json === true) io.out(JSON.stringify(result));
      else
        io.out(
          result.resumed
            ? `${system} resumed: ${result.releasedJobs} waiting step(s) released, ${result.resolvedExceptions} exception(s) resolved`
            : `${system} was not paused`,
        );
      setExit(EXIT_OK);
    });
  registerConnectorsCheckCommand(connectors, io, setExit);
}
