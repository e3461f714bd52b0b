/**
 * The `ledgerlink` command line. Exit codes: 0 ok, 1 failure found (e.g. the audit chain is broken),
 * 2 usage or configuration error (including a database schema newer than this build).
 */
import { Command, CommanderError } from 'commander';
import { isLedgerlinkError } from '../canonical/errors.js';
import {
  EXIT_FAILURE,
  EXIT_OK,
  EXIT_USAGE,
  processIo,
  productVersion,
  UsageError,
  type CommandIo,
} from './cli-support.js';
import { registerAgentCommand } from './commands/agent.js';
import { registerAuditCommand } from './commands/audit.js';
import { registerConfigCommand } from './commands/config.js';
import { registerDemoCommand } from './commands/demo.js';
import { registerMappingsCommand } from './commands/mappings.js';
import { registerDriftCommand } from './commands/drift.js';
import { registerMigrateCommand } from './commands/migrate.js';
import { registerReconcileCommand } from './commands/reconcile.js';
import { registerPeriodsCommand } from './commands/periods.js';
import { registerKeysCommand } from './commands/keys.js';
import { registerSecretsCommand } from './commands/secrets.js';
import { registerServeCommand } from './commands/serve.js';
import { registerSimulateCommand } from './commands/simulate.js';
import { registerTokensCommand } from './commands/tokens.js';
import { registerConnectorsCommand } from './commands/connectors.js';
import { registerExceptionsCommand } from './commands/exceptions.js';
import { registerPruneCommand } from './commands/prune.js';
import { registerTraceCommand } from './commands/trace.js';

const USAGE_CODES = new Set([
  'LL_ERR_CONFIG_INVALID',
  'LL_ERR_SCHEMA_TOO_NEW',
  'LL_ERR_MASTER_KEY_MISSING',
  'LL_ERR_MASTER_KEY_INVALID',
  'LL_ERR_MASTER_KEY_UNKNOWN',
]);

export function buildProgram(io: CommandIo, setExit: (code: number) => void): Command {
  const program = new Command('ledgerlink')
    .description('Finance integration hub: ERP, procurement and expense kept aligned')
    .version(productVersion())
    .exitOverride()
    .showHelpAfterError();
  registerServeCommand(program, io, setExit);
  registerMigrateCommand(program, io, setExit);
  registerAuditCommand(program, io, setExit);
  registerConfigCommand(program, io, setExit);
  registerPeriodsCommand(program, io, setExit);
  registerSimulateCommand(program, io, setExit);
  registerDemoCommand(program, io, setExit);
  registerMappingsCommand(program, io, setExit);
  registerReconcileCommand(program, io, setExit);
  registerTokensCommand(program, io, setExit);
  registerExceptionsCommand(program, io, setExit);
  registerConnectorsCommand(program, io, setExit);
  registerTraceCommand(program, io, setExit);
  registerPruneCommand(program, io, setExit);
  registerSecretsCommand(program, io, setExit);
  registerKeysCommand(program, io, setExit);
  registerDriftCommand(program, io, setExit);
  registerAgentCommand(program, io, setExit);
  return program;
}

/** Maps a failure to its message and exit code. */
export function exitCodeFor(error: unknown, io: CommandIo): number {
  if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
  if (error instanceof UsageError) {
    io.err(`error: ${error.message}`);
    return EXIT_USAGE;
  }
  if (isLedgerlinkError(error)) {
    io.err(`error: ${error.message} [${error.code}]`);
    for (const detail of error.details) if (detail.path !== undefined) io.err(`  ${detail.path}: ${detail.message}`);
    return USAGE_CODES.has(error.code) ? EXIT_USAGE : EXIT_FAILURE;
  }
  io.err(`error: ${error instanceof Error ? error.message : String(error)}`);
  return EXIT_FAILURE;
}

export async function main(argv: readonly string[], io: CommandIo = processIo): Promise<number> {
  let code = EXIT_OK;
  const program = buildProgram(io, (c) => {
    code = c;
  });
  try {
    await program.parseAsync([...argv]);
  } catch (error) {
    return exitCodeFor(error, io);
  }
  return code;
}

process.exitCode = await main(process.argv);
