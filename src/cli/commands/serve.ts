/**
 * `ledgerlink serve [--config FILE] [--db LOCATION] [--port N] [--host H] [--role api|worker|all]` —
 * runs the hub until SIGTERM or SIGINT, then shuts down gracefully. Refuses a database whose schema
 * is newer than this build (exit 2).
 */
import { Option, type Command } from 'commander';
import { roles, type Role } from '../../config/config-schema.js';
import { loadConfig } from '../../config/load-config.js';
import { describeLocation, productVersion, storeLocation, UsageError, type CommandIo } from '../cli-support.js';

export interface ServeOptions {
  readonly config?: string;
  readonly db?: string;
  readonly port?: string;
  readonly host?: string;
  readonly role?: Role;
}

export const DEFAULT_PORT = 8080;
export const DEFAULT_HOST = '127.0.0.1';

function parsePort(value: string, source: string): number {
  const port = /^\d{1,5}$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(port) || port > 65_535)
    throw new UsageError(`${source} must be a port number (0-65535), not "${value}"`);
  return port;
}

export function resolvePort(
  flag: string | undefined,
  configPort: number | undefined,
  env: NodeJS.ProcessEnv = process.env,
): number {
  if (flag !== undefined) return parsePort(flag, '--port');
  const fromEnv = env['LEDGERLINK_PORT']?.trim();
  if (fromEnv !== undefined && fromEnv !== '') return parsePort(fromEnv, 'LEDGERLINK_PORT');
  return configPort ?? DEFAULT_PORT;
}

/** Runs until a signal; resolves with the exit code once shut down. */
export async function runServe(options: ServeOptions, io: CommandIo): Promise<number> {
  const config = await loadConfig({ path: options.config });
  const location = storeLocation(options.db);
  const role = options.role ?? 'all';
  const port = resolvePort(options.port, config.server.port);
  const host = options.host ?? (process.env['LEDGERLINK_HOST']?.trim() || config.server.host || DEFAULT_HOST);
  // Loaded here, not at the top: the other commands start faster without the server's modules.
  const { createApp } = await import('../../app.js');
  const app = await createApp({ db: location, config, role, version: productVersion() });

  let signalled = 0;
  const stopped = new Promise<number>((resolve) => {
    const onSignal = (signal: NodeJS.Signals): void => {
      signalled++;
      if (signalled > 1) {
        io.err(`${signal} again: exiting without waiting`);
        process.exit(1);
      }
      io.out(`${signal} received: shutting down`);
      app.stop().then(
        () => resolve(0),
        (error: unknown) => {
          io.err(`shutdown failed: ${error instanceof Error ? error.message : String(error)}`);
          resolve(1);
        },
      );
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });

  try {
    const { url } = await app.start({ port, host });
    const where = url === undefined ? 'worker running (no HTTP)' : `listening on ${url}`;
    io.out(
      `Ledgerlink ${where} (role ${role}, store ${describeLocation(location)}, config ${config.source ?? 'defaults'})`,
    );
  } catch (error) {
    await app.stop().catch(() => undefined);
    throw error;
  }
  return stopped;
}

export function registerServeCommand(program: Command, io: CommandIo, setExit: (code: number) => void): void {
  program
    .command('serve')
    .description('run the hub: HTTP API and/or worker')
    .option('--config <file>', 'configuration file (LEDGERLINK_CONFIG)')
    .option('--db <location>', 'SQLite path or postgres:// URL (LEDGERLINK_DB, default ./data/ledgerlink.db)')
    .option('--port <n>', `HTTP port (LEDGERLINK_PORT, default ${DEFAULT_PORT})`)
    .option('--host <address>', `interface to listen on (LEDGERLINK_HOST, default ${DEFAULT_HOST})`)
    .addOption(new Option('--role <role>', 'what this process runs').choices(roles).default('all'))
    .action(async (options: ServeOptions) => {
      const code = await runServe(options, io);
      setExit(code);
      // Everything is closed; leave even if a library kept a handle open.
      process.exit(code);
    });
}
