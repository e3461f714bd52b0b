/**
 * The CLI as users run it (`npx tsx src/cli/main.ts …`) on both stores: `audit verify` exit codes,
 * `serve` refusing a schema newer than it knows, and usage errors.
 */
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { TokenStore } from '../../src/security/api-tokens.js';
import { openStore } from '../../src/store/open-store.js';
import { createTestDatabase, storeKinds, type TestDatabase } from '../helpers/stores.js';
import { waitFor } from '../helpers/wait.js';
import { postEvent, request, startApp } from './app-fixture.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function cli(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      'npx',
      ['tsx', 'src/cli/main.ts', ...args],
      { cwd: root, env: { ...process.env, LEDGERLINK_LOG_LEVEL: 'silent', ...env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

for (const kind of storeKinds) {
  describe(`ledgerlink CLI [${kind}]`, () => {
    let database: TestDatabase;
    before(async () => {
      // A database with audit rows: the echo flow ran once through the whole app.
      const f = await startApp(kind, 'cli_audit', { echo: true });
      database = f.database;
      assert.equal((await postEvent(f.url, 'erp', '{"id":"AUD-1"}', f.auth)).status, 202);
      await waitFor('the run to succeed', async () => {
        const page = (await request(`${f.url}/v1/runs?status=succeeded`, { headers: f.auth })).json as {
          runs: unknown[];
        };
        return page.runs.length === 1;
      });
      await f.app.stop();
      await f.sink?.stop();
    });
    after(async () => database.drop());

    test('audit verify prints OK with the row count and exits 0', async () => {
      const result = await cli(['audit', 'verify', '--db', database.location]);
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /^OK: audit chain verified, [1-9]\d* rows/);
    });

    test('audit verify names the first edited row and exits 1', async () => {
      const store = await openStore(database.location);
      try {
        await sql`UPDATE audit_log SET actor = 'mallory' WHERE seq = 2`.execute(store.db);
      } finally {
        await store.close();
      }
      const result = await cli(['audit', 'verify', '--db', database.location]);
      assert.equal(result.code, 1, result.stdout + result.stderr);
      assert.match(result.stdout, /FAILED: audit row 2 does not verify: .*\[LL_ERR_AUDIT_CHAIN_BROKEN\]/);
    });

    test('migrate prints the versions it applied, then that the schema is current', async () => {
      const fresh = await createTestDatabase(kind, 'cli_migrate');
      try {
        const first = await cli(['migrate', '--db', fresh.location]);
        assert.equal(first.code, 0, first.stderr);
        assert.match(first.stdout, /Applied migrations 1\b/);
        const second = await cli(['migrate'], { LEDGERLINK_DB: fresh.location });
        assert.equal(second.code, 0, second.stderr);
        assert.match(second.stdout, /up to date at version \d+/);
      } finally {
        await fresh.drop();
      }
    });

    test('serve refuses a schema newer than it knows, with exit code 2', async () => {
      const newer = await createTestDatabase(kind, 'cli_newer');
      try {
        const store = await openStore(newer.location, { migrate: true });
        try {
          await store.db
            .insertInto('schema_migrations')
            .values({ version: 999, name: 'from the future', applied_at: Date.now() })
            .execute();
        } finally {
          await store.close();
        }
        const result = await cli(['serve', '--db', newer.location, '--port', '0']);
        assert.equal(result.code, 2, result.stdout + result.stderr);
        assert.match(result.stderr, /schema is at version 999/);
        assert.match(result.stderr, /LL_ERR_SCHEMA_TOO_NEW/);
      } finally {
        await newer.drop();
      }
    });
  });
}

describe('ledgerlink serve', () => {
  test('prints where it listens, and on SIGTERM drains, stops and exits 0', async () => {
    const database = await createTestDatabase('sqlite', 'cli_serve');
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', 'serve', '--db', database.location, '--port', '0'],
      {
        cwd: root,
        env: { ...process.env, LEDGERLINK_LOG_LEVEL: 'silent' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    child.stderr.resume();
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          stdout += chunk.toString();
          const match = /listening on (http:\/\/\S+)/.exec(stdout);
          if (match !== null) resolve(match[1]!);
        });
        child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${stdout}`)));
      });
      assert.match(stdout, /role all, store sqlite /);
      const tokenStore = await openStore(database.location);
      const token = await new TokenStore(tokenStore)
        .create({ name: 'serve-test', roles: ['service:erp'] })
        .finally(() => tokenStore.close());
      assert.equal((await postEvent(url, 'erp', '{"id":"SIG-0"}')).status, 401, 'no token, no ingest');
      const accepted = await postEvent(url, 'erp', '{"id":"SIG-1"}', { authorization: `Bearer ${token.secret}` });
      assert.equal(accepted.status, 202);
      child.kill('SIGTERM');
      assert.equal(await exited, 0);
      assert.match(stdout, /SIGTERM received: shutting down/);
      const store = await openStore(database.location);
      try {
        const row = await store.db
          .selectFrom('inbox_events')
          .select('id')
          .where('id', '=', (accepted.json as { eventId: string }).eventId)
          .executeTakeFirst();
        assert.ok(row);
      } finally {
        await store.close();
      }
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
      await database.drop();
    }
  });
});

describe('ledgerlink CLI usage errors', () => {
  test('unknown command, bad option values and a missing database exit 2', async () => {
    const [bogus, role, port, missing] = await Promise.all([
      cli(['bogus']),
      cli(['serve', '--role', 'boss']),
      cli(['serve', '--port', 'eighty']),
      cli(['audit', 'verify', '--db', '/nonexistent/ledgerlink.db']),
    ]);
    assert.equal(bogus.code, 2);
    assert.equal(role.code, 2);
    assert.equal(port.code, 2);
    assert.match(port.stderr, /--port must be a port number/);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /No database at/);
  });

  test('an invalid config file exits 2 and names each problem by path', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'll-cfg-'));
    const file = join(dir, 'ledgerlink.yaml');
    writeFileSync(file, 'engine:\n  leaseMs: fast\nserver:\n  prot: 80\n');
    const result = await cli(['serve', '--config', file, '--db', ':memory:']);
    rmSync(dir, { recursive: true, force: true });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /LL_ERR_CONFIG_INVALID/);
    assert.match(result.stderr, /engine\.leaseMs/);
    assert.match(result.stderr, /server\.prot: unknown key/);
  });
});
