/**
 * `ledgerlink mappings test [FILE|DIR…] [--json]` — offline, no database: loads each set with its
 * `<name>.cases.yaml`, runs its own tests and the cases, prints every result and difference. Exit 0
 * when all pass, 1 when any case differs, 2 when a set or cases file is invalid. Without paths it
 * tests the configured `mappings.directory` (--config / LEDGERLINK_CONFIG), else ./mappings.
 */
import { isLedgerlinkError } from '../../canonical/errors.js';
import { loadConfig, mappingsDirectoryOf } from '../../config/load-config.js';
import { runCases, type CaseResult, type CaseSummary } from '../../mapping/case-runner.js';
import { findSetFiles, loadSetFile } from '../../mapping/mapping-files.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, type CommandIo } from '../cli-support.js';
import { printCaseResults, printInvalid } from './mappings-output.js';

export interface MappingsTestOptions {
  readonly config?: string;
  readonly json?: boolean;
}

interface SetRun {
  readonly file: string;
  readonly version: string;
  readonly summary: CaseSummary;
  readonly results: readonly CaseResult[];
}

async function defaultPaths(configPath: string | undefined): Promise<string[]> {
  const config = await loadConfig({ path: configPath });
  return [mappingsDirectoryOf(config) ?? 'mappings'];
}

export async function runMappingsTest(
  paths: readonly string[],
  options: MappingsTestOptions,
  io: CommandIo,
): Promise<number> {
  const runs: SetRun[] = [];
  try {
    const entries = findSetFiles(paths.length > 0 ? paths : await defaultPaths(options.config));
    for (const entry of entries) {
      const loaded = loadSetFile(entry);
      const { results, summary } = await runCases(loaded.set, loaded.cases);
      runs.push({ file: entry.file, version: loaded.set.version, summary, results });
    }
  } catch (error) {
    if (isLedgerlinkError(error) && error.code === 'LL_ERR_MAPPING_INVALID') {
      printInvalid(error, io);
      return EXIT_USAGE;
    }
    throw error;
  }
  const total = runs.reduce((n, r) => n + r.summary.total, 0);
  const failed = runs.reduce((n, r) => n + r.summary.failed, 0);
  if (options.json === true) {
    io.out(JSON.stringify({ sets: runs, summary: { sets: runs.length, total, passed: total - failed, failed } }));
  } else {
    for (const run of runs) {
      io.out(`${run.file}  ${run.version}`);
      printCaseResults(run.results, io);
    }
    io.out(
      `${runs.length} set${runs.length === 1 ? '' : 's'}, ${total} cases: ${total - failed} passed, ${failed} failed`,
    );
  }
  return failed > 0 ? EXIT_FAILURE : EXIT_OK;
}
