/**
 * `ledgerlink mappings diff A B [--db] [--json]` — each of A and B is a set file or a stored version
 * (`label@hash12`, read from the store). Prints the differences; exit 0 when identical, 1 when
 * different, 2 when either cannot be read or is invalid.
 */
import { existsSync, readFileSync } from 'node:fs';
import { isLedgerlinkError } from '../../canonical/errors.js';
import { loadMappingSet, type LoadedMappingSet } from '../../mapping/load-mapping-set.js';
import { diffMappingSets } from '../../mapping/mapping-set-diff.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, UsageError, type CommandIo } from '../cli-support.js';
import { printDiff, printInvalid } from './mappings-output.js';
import { withMappings, type StoreOptions } from './mappings-publish.js';

const STORED_VERSION = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}@[0-9a-f]{12}$/;

async function setOf(which: string, options: StoreOptions): Promise<LoadedMappingSet> {
  if (existsSync(which)) return loadMappingSet(readFileSync(which, 'utf8'), { source: which });
  if (!STORED_VERSION.test(which))
    throw new UsageError(`${which} is neither a file nor a stored version (label@hash12)`);
  return withMappings(options, (mappings) => mappings.source.byVersion(which));
}

export async function runMappingsDiff(
  a: string,
  b: string,
  options: StoreOptions & { json?: boolean },
  io: CommandIo,
): Promise<number> {
  let before: LoadedMappingSet;
  let after: LoadedMappingSet;
  try {
    before = await setOf(a, options);
    after = await setOf(b, options);
  } catch (error) {
    if (isLedgerlinkError(error) && error.code === 'LL_ERR_MAPPING_INVALID') {
      printInvalid(error, io);
      return EXIT_USAGE;
    }
    throw error;
  }
  const diff = diffMappingSets(before.content, after.content);
  if (options.json === true) io.out(JSON.stringify({ from: before.version, to: after.version, ...diff }));
  else if (diff.identical) io.out(`Identical: ${before.version}`);
  else {
    io.out(`${before.version} → ${after.version}`);
    printDiff(diff, io);
  }
  return diff.identical ? EXIT_OK : EXIT_FAILURE;
}
