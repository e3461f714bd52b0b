/**
 * Mapping sets on disk: `<name>.yaml` (or `.yml`) files, each with an optional `<name>.cases.yaml`
 * next to it. A folder holds any number of sets; its files are taken in name order.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { LedgerlinkError } from '../canonical/errors.js';
import { ownCases, type SourcedCase } from './case-runner.js';
import { parseCasesText } from './case-files.js';
import { loadMappingSet, type LoadedMappingSet, type LoadOptions } from './load-mapping-set.js';

const SET_FILE = /\.ya?ml$/;
const CASES_FILE = /\.cases\.ya?ml$/;

export interface SetFile {
  readonly file: string;
  /** The cases file next to it, when there is one. */
  readonly casesFile?: string;
}

export interface LoadedSetFile {
  readonly file: string;
  readonly set: LoadedMappingSet;
  /** The set's own tests, then those of its cases file. */
  readonly cases: readonly SourcedCase[];
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function casesFileOf(file: string): string | undefined {
  const stem = file.replace(SET_FILE, '');
  return [`${stem}.cases.yaml`, `${stem}.cases.yml`].find(isFile);
}

/** The sets named by files and folders; a cases file stands for the set beside it. */
export function findSetFiles(paths: readonly string[]): SetFile[] {
  const files: string[] = [];
  for (const path of paths) {
    let stat;
    try {
      stat = statSync(path);
    } catch (cause) {
      throw new LedgerlinkError('LL_ERR_MAPPING_INVALID', `No mapping set file or folder at ${path}`, {
        details: [{ path, message: 'not found' }],
        cause,
      });
    }
    if (stat.isDirectory()) {
      const names = readdirSync(path)
        .filter((n) => SET_FILE.test(n) && !CASES_FILE.test(n))
        .sort();
      files.push(...names.map((n) => join(path, n)).filter(isFile));
    } else if (CASES_FILE.test(path)) {
      const stem = basename(path).replace(CASES_FILE, '');
      const set = [join(dirname(path), `${stem}.yaml`), join(dirname(path), `${stem}.yml`)].find(isFile);
      if (set === undefined)
        throw new LedgerlinkError('LL_ERR_MAPPING_INVALID', `Cases file ${path} has no set ${stem}.yaml beside it`, {
          details: [{ path, message: 'no set beside the cases file' }],
        });
      files.push(set);
    } else {
      files.push(path);
    }
  }
  return [...new Set(files)].map((file) => {
    const casesFile = casesFileOf(file);
    return casesFile === undefined ? { file } : { file, casesFile };
  });
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (cause) {
    throw new LedgerlinkError('LL_ERR_MAPPING_INVALID', `Cannot read ${path}`, {
      details: [{ path, message: 'unreadable' }],
      cause,
    });
  }
}

/** Loads one set file and its cases; LL_ERR_MAPPING_INVALID names the file and every problem. */
export function loadSetFile(entry: SetFile, options: Omit<LoadOptions, 'source'> = {}): LoadedSetFile {
  const set = loadMappingSet(readText(entry.file), { ...options, source: entry.file });
  const cases = [...ownCases(set.tests, `${entry.file} tests`)];
  if (entry.casesFile !== undefined) cases.push(...parseCasesText(readText(entry.casesFile), entry.casesFile, set));
  return { file: entry.file, set, cases };
}
