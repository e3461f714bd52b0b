/**
 * `ledgerlink simulate [erp|procurement|expense|directory…] [--json] [--host H] [--port N]` — starts
 * the vendor simulators standalone and prints their URLs and demo credentials; runs until SIGTERM or
 * SIGINT. With --json it prints one line `{ simulators: [{ name, url, credentials }] }` once ready.
 */
import type { Command } from 'commander';
import { isSimulatorName, simulatorNames, startSimulators, type SimulatorName } from '../../demo/simulators.js';
import { EXIT_OK, UsageError, type CommandIo } from '../cli-support.js';

interface SimulateOptions {
  readonly json?: boolean;
  readonly host?: string;
  readonly port?: string;
}

export async function runSimulate(names: readonly string[], options: SimulateOptions, io: CommandIo): Promise<number> {
  const unknown = names.filter((n) => !isSimulatorName(n));
  if (unknown.length > 0)
    throw new UsageError(`unknown simulator ${unknown.join(', ')}; choose from ${simulatorNames.join(', ')}`);
  const basePort = options.port === undefined ? 0 : Number(options.port);
  if (!Number.isInteger(basePort) || basePort < 0 || basePort > 65_535)
    throw new UsageError(`--port must be a port number, not "${options.port}"`);
  const running = await startSimulators(names as SimulatorName[], options.host ?? '127.0.0.1', basePort);
  if (options.json === true) {
    io.out(JSON.stringify({ simulators: running.map(({ name, url, credentials }) => ({ name, url, credentials })) }));
  } else {
    for (const sim of running) {
      io.out(`${sim.name.padEnd(12)} ${sim.url}   ${sim.vendor}`);
      for (const [key, value] of Object.entries(sim.credentials)) io.out(`${''.padEnd(12)}   ${key}: ${value}`);
    }
    io.out(
      'Simulators running; Ctrl-C stops them. Test surface: POST /_sim/faults, /_sim/reset, /_sim/seed, GET /_sim/documents',
    );
  }
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await Promise.all(running.map((s) => s.stop()));
  return EXIT_OK;
}

export function registerSimulateCommand(program: Command, io: CommandIo, setExit: (code: number) => void): void {
  program
    .command('simulate')
    .description(`start vendor simulators standalone: ${simulatorNames.join(', ')} (all when none named)`)
    .argument('[names...]', 'which simulators')
    .option('--json', 'print one JSON line with URLs and credentials once ready')
    .option('--host <address>', 'interface to listen on (default 127.0.0.1)')
    .option('--port <n>', 'first port; the others follow it (default: any free port)')
    .action(async (names: string[], options: SimulateOptions) => {
      setExit(await runSimulate(names, options, io));
      process.exit(EXIT_OK);
    });
}
