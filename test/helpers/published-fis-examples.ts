/**
 * The FIS example documents SAP Concur publishes (Examples 1.1 … 6.2.4, concur/developer.concur.com
 * at commit 3d94d3f011b710df08b1bdfa5dc081ca0d71aa21, `src/api-reference/financial-integration/json/`),
 * read at test time from a local mirror of that repository (`../.mirror/concur+developer.concur.com/repo`,
 * or LEDGERLINK_CONCUR_EXAMPLES_REPO), else the four in `../shared/fixtures/concur-fis/`; none when
 * neither is there (the tests using them skip).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseStrictJson, type JsonValue } from '../../src/canonical/strict-json.js';
import { FIS_EXAMPLE_ENVELOPE } from '../../src/connectors/concur/concur-contract-facts.js';
import { arr, at } from '../../src/connectors/concur/translate.js';

const EXAMPLES_PATH = 'src/api-reference/financial-integration/json/';
export const EXAMPLES_MIRROR =
  process.env['LEDGERLINK_CONCUR_EXAMPLES_REPO'] ??
  join(process.cwd(), '..', '.mirror', 'concur+developer.concur.com', 'repo');
export const EXAMPLES_FIXTURES = join(process.cwd(), '..', 'shared', 'fixtures', 'concur-fis');
/** How many example documents the vendor publishes (the mirror holds them all). */
export const PUBLISHED_EXAMPLE_COUNT = 29;

export interface PublishedExample {
  /** The file name (in the vendor repository's folder, or of the shared fixture). */
  readonly name: string;
  readonly text: string;
}

/** The published example files, name and text, and where they were read from ('' when nowhere). */
export function publishedExamples(): { source: string; files: PublishedExample[] } {
  if (existsSync(EXAMPLES_MIRROR)) {
    const git = (...args: string[]): string =>
      execFileSync('git', ['-C', EXAMPLES_MIRROR, ...args], { encoding: 'utf8' });
    const names = git('ls-tree', '-r', '--name-only', 'HEAD', EXAMPLES_PATH)
      .split('\n')
      .filter((n) => /Example.*\.json$/.test(n));
    return {
      source: EXAMPLES_MIRROR,
      files: names.map((n) => ({ name: n.slice(EXAMPLES_PATH.length), text: git('show', `HEAD:${n}`) })),
    };
  }
  if (existsSync(EXAMPLES_FIXTURES)) {
    const names = readdirSync(EXAMPLES_FIXTURES).filter((n) => n.endsWith('.json'));
    return {
      source: EXAMPLES_FIXTURES,
      files: names.map((n) => ({ name: n, text: readFileSync(join(EXAMPLES_FIXTURES, n), 'utf8') })),
    };
  }
  return { source: '', files: [] };
}

/** The documents of an example file (its `fIDocuments`), numbers kept as their source text. */
export function documentsOf(text: string): JsonValue[] {
  return arr(at(parseStrictJson(text), FIS_EXAMPLE_ENVELOPE.documentsKey));
}
