/** Loading a mapping set: versions from canonical content, and every kind of invalid set named by path. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { isLedgerlinkError, type LedgerlinkError } from '../../src/canonical/errors.js';
import { loadMappingSet } from '../../src/mapping/load-mapping-set.js';

const fixture = readFileSync(new URL('../fixtures/mappings/travel.yaml', import.meta.url), 'utf8');

function invalid(text: string): LedgerlinkError {
  try {
    loadMappingSet(text, { source: 'test.yaml' });
  } catch (error) {
    assert.ok(isLedgerlinkError(error), String(error));
    assert.equal(error.code, 'LL_ERR_MAPPING_INVALID');
    return error;
  }
  assert.fail('the set loaded');
}

function paths(error: LedgerlinkError): string[] {
  return error.details.map((d) => `${d.path ?? ''}: ${d.message}`);
}

describe('mapping set versions', () => {
  test('the version is label@ the first 12 hex of a SHA-256 content hash', () => {
    const set = loadMappingSet(fixture);
    assert.equal(set.label, 'travel');
    assert.match(set.hash, /^[0-9a-f]{64}$/);
    assert.equal(set.version, `travel@${set.hash.slice(0, 12)}`);
  });

  test('comments, quoting, flow style and key order do not change the version', () => {
    const a = loadMappingSet('label: x\nlookups:\n  t:\n    keys: [k]\n    rows:\n      - { k: "1", v: "a" }\n');
    const b = loadMappingSet(
      '# a comment\nlookups:\n  t:\n    rows:\n      - v: a   # result\n        k: \'1\'\n    keys:\n      - k\nlabel: "x"\nstatusMaps: {}\n',
    );
    assert.equal(a.version, b.version);
  });

  test('any change to a row, the label or a test changes the version', () => {
    const base = loadMappingSet(fixture);
    assert.notEqual(loadMappingSet(fixture.replace('61009000', '61009001')).version, base.version);
    assert.notEqual(loadMappingSet(fixture.replace('label: travel', 'label: travel2')).hash, base.hash);
    assert.notEqual(
      loadMappingSet(fixture.replace('name: taxi anywhere', 'name: taxi everywhere')).version,
      base.version,
    );
  });

  test('row order is content: it decides ties between equally specific rows', () => {
    const one = loadMappingSet(
      'label: x\nlookups:\n  t:\n    keys: [a, b]\n    rows:\n      - { a: "1", b: "*", v: first }\n      - { a: "*", b: "2", v: second }\n',
    );
    const two = loadMappingSet(
      'label: x\nlookups:\n  t:\n    keys: [a, b]\n    rows:\n      - { a: "*", b: "2", v: second }\n      - { a: "1", b: "*", v: first }\n',
    );
    assert.notEqual(one.version, two.version);
  });
});

describe('invalid mapping sets are refused with every problem, its path and line', () => {
  test('not YAML, or a duplicate key', () => {
    const error = invalid('label: x\nlabel: y\n');
    assert.match(error.message, /not valid YAML: Map keys must be unique/);
    assert.equal(error.details[0]?.['line'], 2);
  });

  test('unknown sections and fields', () => {
    const error = invalid('label: x\nlookup: {}\nlookups:\n  t:\n    keys: [a]\n    rows: []\n    default: "x"\n');
    assert.deepEqual(paths(error), [
      'lookup: unknown section (expected label, description, lookups, statusMaps, transforms, tests)',
      'lookups.t.default: unknown field in a lookup table (expected keys, rows, description)',
    ]);
    assert.equal(error.details[0]?.['line'], 2);
    assert.equal(error.details[0]?.['source'], 'test.yaml');
  });

  test('a row missing a key field, a non-string value, a duplicate key tuple', () => {
    const error = invalid(
      'label: x\nlookups:\n  t:\n    keys: [a, b]\n    rows:\n      - { a: "1", v: "x" }\n      - { a: "1", b: "2", v: 61008000 }\n      - { a: "1", b: "2", v: "y" }\n',
    );
    assert.deepEqual(paths(error), [
      'lookups.t.rows[0]: row lacks key field "b" (use "*" to match any value)',
      'lookups.t.rows[1].v: value must be a string, not a number (quote it)',
      'lookups.t.rows[2]: duplicate key tuple ["1","2"]: row 1 has the same keys',
    ]);
    assert.deepEqual(
      error.details.map((d) => d['line']),
      [6, 7, 8],
    );
  });

  test('a label missing, a status map value that is not a string', () => {
    const error = invalid('statusMaps:\n  s: { active: 1 }\n');
    assert.deepEqual(paths(error), [
      'label: a mapping set needs a label (a string)',
      'statusMaps.s.active: value must be a string, not a number',
    ]);
  });

  test('a transform that does not compile', () => {
    const error = invalid("label: x\ntransforms:\n  bad: '$substring(number, '\n");
    assert.equal(error.details[0]?.path, 'transforms.bad');
    assert.match(error.details[0]?.message ?? '', /^does not compile: /);
  });

  test('a transform that could compute in floating point or by chance', () => {
    const error = invalid(
      "label: x\ntransforms:\n  a: 'amount * 1.19'\n  b: 'net / 2'\n  c: '$string($number(net) * 2)'\n  d: '$now()'\n  e: '$eval(\"1.5\")'\n",
    );
    assert.deepEqual(
      error.details.map((d) => d.path),
      ['transforms.a', 'transforms.b', 'transforms.c', 'transforms.d', 'transforms.e'],
    );
    assert.match(error.details[0]?.message ?? '', /numeric literal 1\.19 would be a float/);
    assert.match(error.details[1]?.message ?? '', /the \/ operator/);
    assert.match(error.details[2]?.message ?? '', /\$number converts text to a float/);
    assert.match(error.details[3]?.message ?? '', /\$now is not deterministic/);
    assert.match(error.details[4]?.message ?? '', /\$eval/);
  });

  test('a test naming an unknown table, status map or transform', () => {
    const error = invalid(
      'label: x\nlookups:\n  t: { keys: [a], rows: [] }\ntests:\n  - { name: one, lookup: nope, input: { a: "1" }, expect: {} }\n  - { name: two, status: gone, input: x, expect: y }\n  - { name: three, transform: none, input: {}, expect: 1 }\n  - { name: four, lookup: t, input: {}, expect: {} }\n',
    );
    assert.deepEqual(paths(error), [
      'tests[0].lookup: no lookup table "nope" in the set',
      'tests[1].status: no status map "gone" in the set',
      'tests[2].transform: no transform "none" in the set',
      'tests[3].input: input lacks key field "a"',
    ]);
  });

  test('a case with both expect and expectError, or neither target', () => {
    const error = invalid('label: x\ntests:\n  - { name: one, input: {}, expect: 1, expectError: LL_ERR_X }\n');
    assert.deepEqual(paths(error), [
      'tests[0]: a case names exactly one of lookup, status, transform (found 0)',
      'tests[0]: a case gives exactly one of expect, expectError',
    ]);
  });
});
