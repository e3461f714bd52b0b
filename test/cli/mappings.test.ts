/**
 * `ledgerlink mappings` as users run it: `test` and `diff` offline, `publish` and `approve` on SQLite
 * with segregation of duties, `diff` against a stored version. Exit codes 0, 1 and 2 as documented.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { openStore } from '../../src/store/open-store.js';
import { createTestDatabase, type TestDatabase } from '../helpers/stores.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const fixtures = join(root, 'test', 'fixtures', 'mappings');
const travelText = readFileSync(join(fixtures, 'travel.yaml'), 'utf8');

interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function cli(args: readonly string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', ...args],
      {
        cwd: root,
        env: { ...process.env, LEDGERLINK_LOG_LEVEL: 'silent', LEDGERLINK_CONFIG: '', LEDGERLINK_DB: '' },
        timeout: 60_000,
      },
      (error, stdout, stderr) =>
        resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stdout, stderr }),
    );
  });
}

const scratch = mkdtempSync(join(tmpdir(), 'll-mappings-cli-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

describe('ledgerlink mappings test and diff (offline)', () => {
  test('test passes the fixture set with its cases file: exit 0', async () => {
    const result = await cli(['mappings', 'test', fixtures]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /travel\.yaml {2}travel@[0-9a-f]{12}/);
    assert.match(result.stdout, /^1 set, 9 cases: 9 passed, 0 failed$/m);
  });

  test('a differing case prints expected and actual per field: exit 1', async () => {
    const dir = join(scratch, 'failing');
    mkdirSync(dir);
    writeFileSync(join(dir, 'travel.yaml'), travelText);
    writeFileSync(
      join(dir, 'travel.cases.yaml'),
      '- name: hotel account\n  lookup: expense-account\n  input: { expenseType: HOTEL, country: DE, entity: "1" }\n  expect: { glAccount: "61009999", taxCode: V0 }\n',
    );
    const result = await cli(['mappings', 'test', join(dir, 'travel.cases.yaml')]);
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stdout, /FAIL {2}hotel account \(lookup expense-account\)/);
    assert.match(result.stdout, /glAccount: expected "61009999", actual "61009000"/);
    assert.match(result.stdout, /5 cases: 4 passed, 1 failed/);
    const json = await cli(['mappings', 'test', '--json', dir]);
    assert.equal(json.code, 1);
    assert.deepEqual((JSON.parse(json.stdout) as { summary: unknown }).summary, {
      sets: 1,
      total: 5,
      passed: 4,
      failed: 1,
    });
  });

  test('an invalid set names file, line and path: exit 2', async () => {
    const file = join(scratch, 'invalid.yaml');
    writeFileSync(file, 'label: x\nlookups:\n  t:\n    keys: [a]\n    rows:\n      - { a: "1", v: 61008000 }\n');
    const result = await cli(['mappings', 'test', file]);
    assert.equal(result.code, 2, result.stdout);
    assert.match(
      result.stderr,
      /invalid\.yaml:6 lookups\.t\.rows\[0\]\.v: value must be a string, not a number \(quote it\)/,
    );
    assert.match(result.stderr, /\[LL_ERR_MAPPING_INVALID\]/);
  });

  test('diff: identical sets exit 0; differences are printed and exit 1', async () => {
    const same = await cli(['mappings', 'diff', join(fixtures, 'travel.yaml'), join(fixtures, 'travel.yaml')]);
    assert.equal(same.code, 0, same.stderr);
    assert.match(same.stdout, /^Identical: travel@/);
    const changed = join(scratch, 'changed.yaml');
    writeFileSync(
      changed,
      travelText.replace('61009000', '61009999').replace("  line-total: '$decSum(lines.amount)'\n", ''),
    );
    const diff = await cli(['mappings', 'diff', join(fixtures, 'travel.yaml'), changed]);
    assert.equal(diff.code, 1, diff.stderr);
    assert.match(diff.stdout, /~ lookup expense-account\n {4}~ .*"glAccount":"61009000".* → .*"glAccount":"61009999"/);
    assert.match(diff.stdout, /- transform line-total \(removed\)\n {4}- \$decSum\(lines\.amount\)/);
    const usage = await cli(['mappings', 'diff', join(fixtures, 'travel.yaml'), 'no-such-thing']);
    assert.equal(usage.code, 2);
  });
});

describe('ledgerlink mappings publish and approve [sqlite]', () => {
  let database: TestDatabase;
  let version = '';
  before(async () => {
    database = await createTestDatabase('sqlite', 'cli_mappings');
    const store = await openStore(database.location, { migrate: true });
    await store.close();
  });
  after(async () => database.drop());

  test('publish registers the set pending approval', async () => {
    const result = await cli([
      'mappings',
      'publish',
      join(fixtures, 'travel.yaml'),
      '--author',
      'alice',
      '--db',
      database.location,
    ]);
    assert.equal(result.code, 0, result.stderr);
    const match = /^Registered (travel@[0-9a-f]{12}) pending approval \(author alice\)$/m.exec(result.stdout);
    assert.ok(match, result.stdout);
    version = match[1]!;
    const again = await cli([
      'mappings',
      'publish',
      join(fixtures, 'travel.yaml'),
      '--author',
      'bob',
      '--db',
      database.location,
    ]);
    assert.match(again.stdout, /^Already stored: travel@[0-9a-f]{12} \(pending_approval, author alice\)$/m);
  });

  test('the author cannot approve (exit 1, LL_ERR_SEGREGATION_OF_DUTIES); another approver publishes', async () => {
    const own = await cli(['mappings', 'approve', version, '--as', 'alice', '--db', database.location]);
    assert.equal(own.code, 1, own.stdout);
    assert.match(own.stderr, /alice authored mapping set .* cannot approve it.*\[LL_ERR_SEGREGATION_OF_DUTIES\]/);
    const other = await cli(['mappings', 'approve', version, '--as', 'bob', '--db', database.location]);
    assert.equal(other.code, 0, other.stderr);
    assert.match(other.stdout, new RegExp(`^Published ${version} \\(author alice, approved by bob\\)$`, 'm'));
    const store = await openStore(database.location);
    try {
      const row = await store.db
        .selectFrom('mapping_sets')
        .selectAll()
        .where('version', '=', version)
        .executeTakeFirstOrThrow();
      assert.deepEqual([row.status, row.author, row.approved_by], ['published', 'alice', 'bob']);
      const audit = await store.db
        .selectFrom('audit_log')
        .select(['action', 'actor'])
        .where('subject', '=', `mapping:${version}`)
        .orderBy('seq')
        .execute();
      assert.deepEqual(
        audit.map((a) => `${a.action} ${a.actor}`),
        ['mapping.registered cli:alice', 'mapping.approved cli:bob', 'mapping.published cli:bob'],
      );
    } finally {
      await store.close();
    }
  });

  test('diff compares a stored version with a file', async () => {
    const same = await cli(['mappings', 'diff', version, join(fixtures, 'travel.yaml'), '--db', database.location]);
    assert.equal(same.code, 0, same.stdout + same.stderr);
    const unknown = await cli([
      'mappings',
      'diff',
      'travel@000000000000',
      join(fixtures, 'travel.yaml'),
      '--db',
      database.location,
    ]);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /LL_ERR_NOT_FOUND/);
  });
});
