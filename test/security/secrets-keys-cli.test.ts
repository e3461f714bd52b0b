/**
 * `ledgerlink secrets set|list|delete` and `keys rotate|status` as users run them, on both stores:
 * the value comes from standard input and is never echoed; a missing master key is exit 2; rotation
 * to the key file's current key moves every record; an unknown target key is refused.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { openStore } from '../../src/store/open-store.js';
import { createTestDatabase, storeKinds, type TestDatabase } from '../helpers/stores.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const VALUE = 'sap-password-4711-never-printed';

interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function cli(args: readonly string[], env: NodeJS.ProcessEnv = {}, input = ''): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const clean = { ...process.env };
    for (const name of [
      'LEDGERLINK_MASTER_KEY',
      'LEDGERLINK_MASTER_KEY_ID',
      'LEDGERLINK_MASTER_KEY_FILE',
      'LEDGERLINK_CONFIG',
    ])
      delete clean[name];
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
      cwd: root,
      env: { ...clean, LEDGERLINK_LOG_LEVEL: 'silent', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(input);
  });
}

for (const kind of storeKinds) {
  describe(`secrets and keys commands [${kind}]`, () => {
    let database: TestDatabase;
    let dir: string;
    let config: string;
    const keyA = randomBytes(32).toString('base64');
    const keyB = randomBytes(32).toString('base64');
    const withKeyA = { LEDGERLINK_MASTER_KEY: keyA, LEDGERLINK_MASTER_KEY_ID: 'A' };

    before(async () => {
      database = await createTestDatabase(kind, 'secrets_cli');
      await (await openStore(database.location, { migrate: true })).close();
      dir = mkdtempSync(join(tmpdir(), 'll-keys-'));
      const keyFile = join(dir, 'keys.json');
      writeFileSync(
        keyFile,
        JSON.stringify({
          keys: [
            { id: 'A', key: keyA },
            { id: 'B', key: keyB },
          ],
          current: 'B',
        }),
        { mode: 0o600 },
      );
      config = join(dir, 'ledgerlink.yaml');
      writeFileSync(config, `security:\n  masterKeyFile: ${JSON.stringify(keyFile)}\n`);
    });
    after(async () => {
      rmSync(dir, { recursive: true, force: true });
      await database.drop();
    });

    test('secrets set reads the value from standard input and never prints it; list shows names and keys', async () => {
      const set = await cli(['secrets', 'set', 'sap.password', '--db', database.location], withKeyA, `${VALUE}\n`);
      assert.equal(set.code, 0, set.stderr);
      assert.match(set.stdout, /Secret sap\.password created \(master key A\)/);
      const list = await cli(['secrets', 'list', '--db', database.location]);
      assert.equal(list.code, 0, list.stderr);
      assert.match(list.stdout, /^NAME\s+KEY\s+CREATED\s+UPDATED\nsap\.password\s+A\s+\d{4}-/);
      for (const r of [set, list]) assert.ok(!r.stdout.includes(VALUE) && !r.stderr.includes(VALUE));
      const store = await openStore(database.location);
      try {
        const row = await store.db.selectFrom('secrets').selectAll().executeTakeFirstOrThrow();
        assert.ok(!JSON.stringify(row).includes(VALUE));
        const audit = await store.db.selectFrom('audit_log').select(['actor', 'action', 'data']).execute();
        assert.equal(audit.length, 1);
        assert.match(audit[0]!.actor, /^cli:.+/);
        assert.ok(!audit[0]!.data.includes(VALUE));
      } finally {
        await store.close();
      }
    });

    test('without a master key secrets set is a configuration error (exit 2); a value on the command line is refused', async () => {
      const keyless = await cli(['secrets', 'set', 'x', '--db', database.location], {}, 'value');
      assert.equal(keyless.code, 2, keyless.stderr);
      assert.match(keyless.stderr, /LL_ERR_MASTER_KEY_MISSING/);
      const onArgv = await cli(['secrets', 'set', 'x', 'the-value', '--db', database.location], withKeyA);
      assert.equal(onArgv.code, 2, onArgv.stderr);
    });

    test('keys rotate moves every record to the current key of the key file; keys status counts them', async () => {
      const before = await cli(['keys', 'status', '--db', database.location, '--config', config]);
      assert.equal(before.code, 0, before.stderr);
      assert.match(before.stdout, /Current master key: B/);
      assert.match(before.stdout, /secrets\s+A 1/);
      const rotate = await cli(['keys', 'rotate', '--db', database.location, '--config', config]);
      assert.equal(rotate.code, 0, rotate.stderr);
      assert.match(rotate.stdout, /Done: 1 records re-wrapped under B/);
      const afterRotation = await cli(['keys', 'status', '--db', database.location, '--config', config]);
      assert.match(afterRotation.stdout, /secrets\s+B 1/);
      assert.match(afterRotation.stdout, /Records by key: B 1/);
      const unknown = await cli(['keys', 'rotate', '--to', 'C', '--db', database.location, '--config', config]);
      assert.equal(unknown.code, 2, unknown.stdout + unknown.stderr);
      assert.match(unknown.stderr, /LL_ERR_MASTER_KEY_UNKNOWN/);
    });

    test('secrets delete removes a secret (exit 0), and says so when there is none (exit 1)', async () => {
      const deleted = await cli(['secrets', 'delete', 'sap.password', '--db', database.location, '--config', config]);
      assert.equal(deleted.code, 0, deleted.stderr);
      const again = await cli(['secrets', 'delete', 'sap.password', '--db', database.location, '--config', config]);
      assert.equal(again.code, 1);
      assert.match(again.stderr, /no secret named sap\.password/);
    });
  });
}
