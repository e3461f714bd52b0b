/** Fixture case runs, set diffs, set files on disk and the cached source. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { isLedgerlinkError } from '../../src/canonical/errors.js';
import { checkCasesValue } from '../../src/mapping/case-files.js';
import { ownCases, runCases } from '../../src/mapping/case-runner.js';
import { loadMappingSet } from '../../src/mapping/load-mapping-set.js';
import { findSetFiles, loadSetFile } from '../../src/mapping/mapping-files.js';
import { diffMappingSets } from '../../src/mapping/mapping-set-diff.js';
import { CachedMappingSetSource, type StoredSetText } from '../../src/mapping/mapping-set-source.js';

const fixtures = fileURLToPath(new URL('../fixtures/mappings/', import.meta.url));
const travelText = readFileSync(join(fixtures, 'travel.yaml'), 'utf8');
const travel = loadMappingSet(travelText);
const scratch = mkdtempSync(join(tmpdir(), 'll-mapping-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

describe('fixture cases', () => {
  test('the fixture set with its cases file passes every case', async () => {
    const [entry, ...others] = findSetFiles([fixtures]);
    assert.equal(others.length, 0);
    assert.ok(entry?.casesFile?.endsWith('travel.cases.yaml'));
    const loaded = loadSetFile(entry!);
    const { results, summary } = await runCases(loaded.set, loaded.cases);
    assert.deepEqual(summary, { total: 9, passed: 9, failed: 0 });
    assert.ok(results.every((r) => r.differences.length === 0));
    assert.deepEqual(
      [...new Set(results.map((r) => r.source.replace(fixtures, '')))],
      ['travel.yaml tests', 'travel.cases.yaml'],
    );
  });

  test('a cases file stands for the set beside it', () => {
    assert.deepEqual(
      findSetFiles([join(fixtures, 'travel.cases.yaml')]).map((e) => e.file),
      [join(fixtures, 'travel.yaml')],
    );
  });

  test('a failing case answers each differing field, expected against actual', async () => {
    const cases = checkCasesValue(
      [
        {
          name: 'wrong account',
          lookup: 'expense-account',
          input: { expenseType: 'TAXI', country: 'DE', entity: '1010' },
          expect: { glAccount: '1', taxCode: 'V1' },
        },
        { name: 'wrong status', status: 'coupa-supplier', input: 'inactive', expect: 'blocked' },
        { name: 'wrong total', transform: 'line-total', input: { lines: [{ amount: '1' }] }, expect: '2' },
        {
          name: 'error expected, value found',
          status: 'coupa-supplier',
          input: 'active',
          expectError: 'LL_ERR_MAPPING_NO_RULE',
        },
        {
          name: 'value expected, error found',
          lookup: 'expense-account',
          input: { expenseType: 'X', country: 'X', entity: 'X' },
          expect: { glAccount: '1' },
        },
      ],
      'request',
      travel,
    );
    const { results, summary } = await runCases(travel, cases);
    assert.deepEqual(summary, { total: 5, passed: 0, failed: 5 });
    assert.deepEqual(
      results.map((r) => r.differences),
      [
        [{ path: 'glAccount', expected: '1', actual: '61008100' }],
        [{ path: '(output)', expected: 'blocked', actual: 'inactive' }],
        [{ path: '(output)', expected: '2', actual: '1' }],
        [{ path: '(output)', expected: { error: 'LL_ERR_MAPPING_NO_RULE' }, actual: 'approved' }],
        [{ path: '(output)', expected: { glAccount: '1' }, actual: { error: 'LL_ERR_MAPPING_NO_RULE' } }],
      ],
    );
    assert.equal(results[4]?.error?.code, 'LL_ERR_MAPPING_NO_RULE');
  });

  test('transform outputs are compared deeply, path by path', async () => {
    const set = loadMappingSet(
      'label: d\ntransforms:\n  t: \'{ "a": x, "lines": [y, "z"] }\'\ntests:\n  - name: deep\n    transform: t\n    input: { x: "1", y: "2" }\n    expect: { a: "1", lines: ["3", "z", "extra"], b: "missing" }\n',
    );
    const { results } = await runCases(set, ownCases(set.tests));
    assert.deepEqual(results[0]?.differences, [
      { path: 'lines[0]', expected: '3', actual: '2' },
      { path: 'lines[2]', expected: 'extra' },
      { path: 'b', expected: 'missing' },
    ]);
  });

  test('cases naming what the set lacks are refused as invalid', () => {
    assert.throws(
      () => checkCasesValue({ tests: [{ name: 'x', lookup: 'nope', input: {}, expect: {} }] }, 'request', travel),
      (e: unknown) =>
        isLedgerlinkError(e) && e.code === 'LL_ERR_MAPPING_INVALID' && e.details[0]?.path === 'tests[0].lookup',
    );
  });
});

describe('diff of two sets', () => {
  test('identical content is identical whatever the formatting', () => {
    const diff = diffMappingSets(travel.content, loadMappingSet(`# reformatted\n${travelText}`).content);
    assert.deepEqual(diff, { identical: true, lookups: [], statusMaps: [], transforms: [] });
  });

  test('rows added, removed and changed by key tuple; status entries; transforms', () => {
    const changed = travelText
      .replace(
        '{ expenseType: HOTEL, country: "*", entity: "*", glAccount: "61009000", taxCode: V0 }',
        '{ expenseType: HOTEL, country: "*", entity: "*", glAccount: "61009999", taxCode: V0 }',
      )
      .replace(
        '      - { expenseType: "*", country: "*", entity: "2910", glAccount: "61000000", taxCode: V0 }\n',
        '      - { expenseType: MEAL, country: "*", entity: "*", glAccount: "61007000", taxCode: V0 }\n',
      )
      .replace('    inactive: inactive\n', '    blocked: blocked\n')
      .replace('    active: approved', '    active: active')
      .replace("line-total: '$decSum(lines.amount)'", "line-total: '$decRound($decSum(lines.amount), 2)'");
    const diff = diffMappingSets(travel.content, loadMappingSet(changed).content);
    assert.equal(diff.identical, false);
    assert.deepEqual(diff.lookups, [
      {
        table: 'expense-account',
        change: 'changed',
        rowsAdded: [{ expenseType: 'MEAL', country: '*', entity: '*', glAccount: '61007000', taxCode: 'V0' }],
        rowsRemoved: [{ expenseType: '*', country: '*', entity: '2910', glAccount: '61000000', taxCode: 'V0' }],
        rowsChanged: [
          {
            before: { expenseType: 'HOTEL', country: '*', entity: '*', glAccount: '61009000', taxCode: 'V0' },
            after: { expenseType: 'HOTEL', country: '*', entity: '*', glAccount: '61009999', taxCode: 'V0' },
          },
        ],
        orderChanged: false,
      },
    ]);
    assert.deepEqual(diff.statusMaps, [
      {
        map: 'coupa-supplier',
        change: 'changed',
        added: [{ status: 'blocked', value: 'blocked' }],
        removed: [{ status: 'inactive', value: 'inactive' }],
        changed: [{ status: 'active', before: 'approved', after: 'active' }],
      },
    ]);
    assert.deepEqual(diff.transforms, [
      {
        name: 'line-total',
        change: 'changed',
        before: '$decSum(lines.amount)',
        after: '$decRound($decSum(lines.amount), 2)',
      },
    ]);
  });

  test('tables and maps added or removed, keys changed, order changed', () => {
    const a = loadMappingSet(
      'label: a\nlookups:\n  t: { keys: [k], rows: [{ k: "1", v: a }, { k: "2", v: b }] }\n  u: { keys: [k], rows: [] }\n',
    );
    const b = loadMappingSet(
      'label: a\nlookups:\n  t: { keys: [k], rows: [{ k: "2", v: b }, { k: "1", v: a }] }\n  w: { keys: [j], rows: [{ j: "1" }] }\nstatusMaps:\n  s: { x: y }\n',
    );
    const diff = diffMappingSets(a.content, b.content);
    assert.deepEqual(
      diff.lookups.map((d) => [d.table, d.change, d.orderChanged, d.rowsAdded.length, d.rowsRemoved.length]),
      [
        ['t', 'changed', true, 0, 0],
        ['u', 'removed', false, 0, 0],
        ['w', 'added', false, 1, 0],
      ],
    );
    assert.deepEqual(diff.statusMaps, [
      { map: 's', change: 'added', added: [{ status: 'x', value: 'y' }], removed: [], changed: [] },
    ]);
  });
});

describe('cached mapping set source', () => {
  function sourceOver(stored: Map<string, string>, current: () => string | undefined) {
    const text = (version: string | undefined): StoredSetText | undefined => {
      if (version === undefined) return undefined;
      const content = stored.get(version);
      return content === undefined ? undefined : { version, content };
    };
    return {
      source: new CachedMappingSetSource(
        { current: async () => text(current()), byVersion: async (v) => text(v) },
        { cacheSize: 2 },
      ),
    };
  }

  test('current follows the published version; byVersion finds older ones; parsed sets are cached', async () => {
    const v2 = loadMappingSet(travelText.replace('61009000', '61009002'));
    const stored = new Map([
      [travel.version, travelText],
      [v2.version, v2.text],
    ]);
    let published: string | undefined = travel.version;
    const { source } = sourceOver(stored, () => published);
    const first = await source.current();
    assert.equal(first.version, travel.version);
    assert.equal(await source.current(), first, 'the same parsed set is answered again');
    published = v2.version;
    assert.equal((await source.current()).version, v2.version);
    assert.equal((await source.byVersion(travel.version)).version, travel.version);
  });

  test('none published: LL_ERR_MAPPING_NO_RULE; unknown version: LL_ERR_NOT_FOUND; tampered text: LL_ERR_MAPPING_INVALID', async () => {
    const stored = new Map([['travel@000000000000', travelText]]);
    const { source } = sourceOver(stored, () => undefined);
    await assert.rejects(source.current(), (e: unknown) => isLedgerlinkError(e) && e.code === 'LL_ERR_MAPPING_NO_RULE');
    await assert.rejects(
      source.byVersion('travel@ffffffffffff'),
      (e: unknown) => isLedgerlinkError(e) && e.code === 'LL_ERR_NOT_FOUND',
    );
    await assert.rejects(
      source.byVersion('travel@000000000000'),
      (e: unknown) => isLedgerlinkError(e) && e.code === 'LL_ERR_MAPPING_INVALID',
    );
  });

  test('a set file that is not valid names its file', () => {
    const file = join(scratch, 'broken.yaml');
    writeFileSync(file, 'label: x\nlookups: 3\n');
    assert.throws(
      () => loadSetFile({ file }),
      (e: unknown) => isLedgerlinkError(e) && e.code === 'LL_ERR_MAPPING_INVALID' && e.message.includes(file),
    );
  });
});
