/** `ledgerlink config schema` prints the JSON Schema of ledgerlink.yaml; `config check` validates a file. */
import type { Command } from 'commander';
import { configJsonSchema } from '../../config/config-schema.js';
import { loadConfig } from '../../config/load-config.js';
import { EXIT_OK, type CommandIo } from '../cli-support.js';

export function registerConfigCommand(program: Command, io: CommandIo, setExit: (code: number) => void): void {
  const config = program.command('config').description('the configuration file');
  config
    .command('schema')
    .description('print the JSON Schema of ledgerlink.yaml (for editors)')
    .action(() => {
      io.out(JSON.stringify(configJsonSchema(), null, 2));
      setExit(EXIT_OK);
    });
  config
    .command('check')
    .description('validate a configuration file; exit 2 with every problem when invalid')
    .option('--config <file>', 'configuration file (LEDGERLINK_CONFIG)')
    .action(async (options: { config?: string }) => {
      const loaded = await loadConfig({ path: options.config });
      io.out(`OK: ${loaded.source ?? 'defaults'} is valid; systems ${Object.keys(loaded.systems).join(', ')}`);
      setExit(EXIT_OK);
    });
}
