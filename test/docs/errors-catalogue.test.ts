/**
 * Keeps the LL_ERR_* catalogue, the code and docs/errors.md in step:
 * - every code written anywhere under src/ is in the catalogue and documented;
 * - every code documented in docs/errors.md (a `### LL_ERR_…` section) is in the catalogue, with the
 *   catalogue's HTTP status;
 * - every catalogue code is used by the product somewhere outside errors.ts (test files do not count);
 * - a family written as a prefix (`LL_ERR_JSON_*`) names at least one catalogue code.
 * Each failure names the codes concerned.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { errorCatalogue } from '../../src/canonical/errors.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const srcDir = join(root, 'src');
const docPath = join(root, 'docs', 'errors.md');
const catalogueFile = join('src', 'canonical', 'errors.ts');
const CODE = /LL_ERR_[A-Z0-9_]+/g;

function tsFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) tsFiles(path, out);
    else if (name.endsWith('.ts')) out.push(path);
  }
  return out;
}

/** Codes (and `_`-ended prefixes) by the files they occur in, paths relative to the repository. */
function occurrences(files: readonly string[]): Map<string, Set<string>> {
  const found = new Map<string, Set<string>>();
  for (const file of files) {
    const rel = relative(root, file).split(sep).join('/');
    for (const [match] of readFileSync(file, 'utf8').matchAll(CODE)) {
      let where = found.get(match);
      if (where === undefined) found.set(match, (where = new Set()));
      where.add(rel);
    }
  }
  return found;
}

const isPrefix = (match: string): boolean => match.endsWith('_');
const catalogue = new Map(Object.entries(errorCatalogue).map(([code, entry]) => [code, entry.status]));
const inCode = occurrences(tsFiles(srcDir));
const docText = readFileSync(docPath, 'utf8');

/** `### LL_ERR_X` sections of docs/errors.md, each with the status its `HTTP status:` line gives. */
function documentedSections(text: string): Map<string, number | undefined> {
  const sections = new Map<string, number | undefined>();
  const parts = text.split(/^### /m).slice(1);
  for (const part of parts) {
    const heading = /^`?(LL_ERR_[A-Z0-9_]+)`?\s*$/m.exec(part.split('\n', 1)[0] ?? '');
    if (heading === null) continue;
    const status = /HTTP status:\**\s*(\d{3})/.exec(part);
    sections.set(heading[1]!, status === null ? undefined : Number(status[1]));
  }
  return sections;
}

const documented = documentedSections(docText);
const mentionedInDocs = new Set([...docText.matchAll(CODE)].map(([m]) => m));

const describeCodes = (codes: readonly string[], where?: (code: string) => string): string =>
  codes.map((c) => `  - ${c}${where === undefined ? '' : ` (${where(c)})`}`).join('\n');

describe('LL_ERR_* catalogue, code and docs/errors.md agree', () => {
  test('every code used under src/ is in the catalogue', () => {
    const unknown = [...inCode.keys()].filter((c) => !isPrefix(c) && !catalogue.has(c)).sort();
    assert.deepEqual(
      unknown,
      [],
      `codes used in src/ but missing from errorCatalogue:\n${describeCodes(unknown, (c) => [...inCode.get(c)!].join(', '))}`,
    );
  });

  test('every code used under src/ is documented in docs/errors.md', () => {
    const missing = [...inCode.keys()].filter((c) => !isPrefix(c) && !documented.has(c)).sort();
    assert.deepEqual(
      missing,
      [],
      `codes used in src/ but without a "### CODE" section in docs/errors.md:\n${describeCodes(missing, (c) => [...inCode.get(c)!].join(', '))}`,
    );
  });

  test('every catalogue code is documented, with its HTTP status', () => {
    const missing = [...catalogue.keys()].filter((c) => !documented.has(c)).sort();
    assert.deepEqual(
      missing,
      [],
      `catalogue codes without a "### CODE" section in docs/errors.md:\n${describeCodes(missing)}`,
    );
    const wrong = [...catalogue]
      .filter(([c, status]) => documented.has(c) && documented.get(c) !== status)
      .map(([c]) => c)
      .sort();
    assert.deepEqual(
      wrong,
      [],
      `docs/errors.md gives a different HTTP status than the catalogue:\n${describeCodes(wrong, (c) => `docs ${String(documented.get(c))}, catalogue ${String(catalogue.get(c))}`)}`,
    );
  });

  test('every code documented or mentioned in docs/errors.md is in the catalogue', () => {
    const stray = [...new Set([...documented.keys(), ...mentionedInDocs])]
      .filter((c) => !isPrefix(c) && !catalogue.has(c))
      .sort();
    assert.deepEqual(stray, [], `codes in docs/errors.md that are not in errorCatalogue:\n${describeCodes(stray)}`);
  });

  test('every catalogue code is used by the product outside errors.ts', () => {
    const usedBy = (code: string): string[] =>
      [...(inCode.get(code) ?? [])].filter((file) => file !== catalogueFile && !file.endsWith('.test.ts'));
    const unused = [...catalogue.keys()].filter((c) => usedBy(c).length === 0).sort();
    assert.deepEqual(
      unused,
      [],
      `catalogue codes never used in src/ outside ${catalogueFile} and tests:\n${describeCodes(unused)}`,
    );
  });

  test('every code family written as a prefix (LL_ERR_X_*) names catalogue codes', () => {
    const prefixes = [...new Set([...inCode.keys(), ...mentionedInDocs])].filter(isPrefix);
    const empty = prefixes.filter((p) => ![...catalogue.keys()].some((c) => c.startsWith(p))).sort();
    assert.deepEqual(empty, [], `prefixes that match no catalogue code:\n${describeCodes(empty)}`);
  });

  test('the scan sees the code base and the docs', () => {
    assert.ok(inCode.size >= 10, `found only ${inCode.size} codes under src/`);
    assert.ok(documented.size >= 1, 'docs/errors.md has no "### LL_ERR_…" sections');
  });
});
