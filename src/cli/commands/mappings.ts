/**
 * `ledgerlink mappings test|publish|approve|reject|diff` — mapping sets from the command line. The
 * implementations are loaded when a subcommand runs, so other commands start without JSONata and YAML.
 */
import type { Command } from 'commander';
import type { CommandIo } from '../cli-support.js';

const publishing = () => import('./mappings-publish.js');

const DB = ['--db <location>', 'SQLite path or postgres:// URL (LEDGERLINK_DB)'] as const;

export function registerMappingsCommand(program: Command, io: CommandIo, setExit: (code: number) => void): void {
  const mappings = program.command('mappings').description('mapping sets: test, publish, approve, diff');
  mappings
    .command('test')
    .description('run the fixture cases of mapping sets, offline; exit 1 on any difference, 2 on an invalid set')
    .argument('[paths...]', 'set files (<name>.yaml, with <name>.cases.yaml beside it) or folders of them')
    .option(
      '--config <file>',
      'configuration whose mappings.directory is tested when no path is given (LEDGERLINK_CONFIG)',
    )
    .option('--json', 'print one JSON document with every result')
    .action(async (paths: string[], options: { config?: string; json?: boolean }) =>
      setExit(await (await import('./mappings-test.js')).runMappingsTest(paths, options, io)),
    );
  mappings
    .command('publish')
    .description('register a mapping set file, pending approval')
    .argument('<file>', 'the set file')
    .option('--author <name>', 'who authored it (default: the OS user)')
    .option(...DB)
    .action(async (file: string, options: { author?: string; db?: string }) =>
      setExit(await (await publishing()).runMappingsPublish(file, options, io)),
    );
  mappings
    .command('approve')
    .description('approve and publish a pending set; its author cannot approve it')
    .argument('<version>', 'label@hash12')
    .requiredOption('--as <name>', 'who approves')
    .option(...DB)
    .action(async (version: string, options: { as: string; db?: string }) =>
      setExit(await (await publishing()).runMappingsApprove(version, options, io)),
    );
  mappings
    .command('reject')
    .description('reject a pending set with a reason')
    .argument('<version>', 'label@hash12')
    .requiredOption('--as <name>', 'who rejects')
    .requiredOption('--reason <text>', 'why')
    .option(...DB)
    .action(async (version: string, options: { as: string; reason: string; db?: string }) =>
      setExit(await (await publishing()).runMappingsReject(version, options, io)),
    );
  mappings
    .command('diff')
    .description('differences between two sets (files or stored versions); exit 0 identical, 1 different')
    .argument('<a>', 'a set file or a stored version')
    .argument('<b>', 'a set file or a stored version')
    .option(...DB)
    .option('--json', 'print the differences as JSON')
    .action(async (a: string, b: string, options: { db?: string; json?: boolean }) =>
      setExit(await (await import('./mappings-diff.js')).runMappingsDiff(a, b, options, io)),
    );
}
