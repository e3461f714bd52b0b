/**
 * `ledgerlink tokens …`: the commands' behaviour on both stores (run in process), and the CLI as users
 * run it on SQLite (spawned): secrets printed once, never listed, every change audited as cli:<user>,
 * rotation overlap, usage errors with exit code 2.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  parseDuration,
  runTokensCreate,
  runTokensList,
  runTokensRevoke,
  runTokensRotate,
} from '../../src/cli/commands/tokens.js';
import { cliActor } from '../../src/cli/session.js';
import { UsageError, type CommandIo } from '../../src/cli/cli-support.js';
import { verifyAudit } from '../../src/engine/audit-log.js';
import { hashToken, TokenStore } from '../../src/security/api-tokens.js';
import { openStore } from '../../src/store/open-store.js';
import { createTestDatabase, storeKinds, type TestDatabase } from '../helpers/stores.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

function captureIo(): CommandIo & { lines: string[] } {
  const lines: string[] = [];
  return { lines, out: (line) => lines.push(line), err: (line) => lines.push(`ERR ${line}`) };
}

async function auditRows(
  location: string,
): Promise<{ actor: string; action: string; subject: string; data: Record<string, unknown> }[]> {
  const store = await openStore(location);
  try {
    const rows = await store.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', 'like', 'token.%')
      .orderBy('seq')
      .execute();
    assert.ok((await verifyAudit(store.db)).ok, 'the audit chain verifies');
    return rows.map((r) => ({
      actor: r.actor,
      action: r.action,
      subject: r.subject,
      data: JSON.parse(r.data) as Record<string, unknown>,
    }));
  } finally {
    await store.close();
  }
}

describe('durations', () => {
  test('30d, 24h, 90m, 45s, 2w and 0; anything else is a usage error', () => {
    assert.equal(parseDuration('30d', 'x'), 30 * 86_400_000);
    assert.equal(parseDuration('24h', 'x'), 86_400_000);
    assert.equal(parseDuration('90m', 'x'), 5_400_000);
    assert.equal(parseDuration('45s', 'x'), 45_000);
    assert.equal(parseDuration('2w', 'x'), 14 * 86_400_000);
    assert.equal(parseDuration('0', 'x'), 0);
    for (const bad of ['', '30', 'd', '1.5h', '-1h', '3y'])
      assert.throws(() => parseDuration(bad, '--overlap'), /--overlap must be a duration/);
  });
});

for (const kind of storeKinds) {
  describe(`tokens commands [${kind}]`, () => {
    let database: TestDatabase;
    before(async () => {
      database = await createTestDatabase(kind, 'cli_tokens');
      await (await openStore(database.location, { migrate: true })).close();
    });
    after(async () => database.drop());

    test('create prints the secret once; list shows status, roles, expiry and last use, never a secret', async () => {
      const io = captureIo();
      await runTokensCreate(
        { db: database.location, name: 'ci-bot', role: ['service:expense'], expiresIn: '30d', json: true },
        io,
      );
      const created = JSON.parse(io.lines[0]!) as { id: string; secret: string; roles: string[]; expiresAt: string };
      assert.match(created.secret, /^llt_/);
      assert.deepEqual(created.roles, ['service:expense']);
      const days = (Date.parse(created.expiresAt) - Date.now()) / 86_400_000;
      assert.ok(days > 29.9 && days <= 30, `expires in ${days} days`);
      const store = await openStore(database.location);
      try {
        const auth = await new TokenStore(store).authenticate(created.secret);
        assert.ok(auth.ok, 'the printed secret authenticates');
      } finally {
        await store.close();
      }
      const listing = captureIo();
      await runTokensList({ db: database.location, json: true }, listing);
      const rows = JSON.parse(listing.lines[0]!) as Record<string, unknown>[];
      const row = rows.find((r) => r['id'] === created.id);
      assert.ok(row);
      assert.equal(row['status'], 'active');
      assert.ok(row['lastUsedAt'] !== null, 'the authentication above is recorded');
      const text = captureIo();
      await runTokensList({ db: database.location }, text);
      const everything = [...listing.lines, ...text.lines].join('\n');
      assert.equal(everything.includes(created.secret), false, 'no secret');
      assert.equal(everything.includes(hashToken(created.secret)), false, 'no hash');
      assert.match(text.lines[0]!, /^ID\s+NAME\s+STATUS\s+ROLES\s+EXPIRES\s+LAST USED$/);
    });

    test('revoke and rotate change the token and are audited as cli:<user>', async () => {
      const io = captureIo();
      await runTokensCreate({ db: database.location, name: 'ops', role: ['operator', 'auditor'], json: true }, io);
      const first = JSON.parse(io.lines[0]!) as { id: string; secret: string };
      const rotation = captureIo();
      await runTokensRotate(first.id, { db: database.location, overlap: '1h', json: true }, rotation);
      const rotated = JSON.parse(rotation.lines[0]!) as {
        id: string;
        secret: string;
        roles: string[];
        previous: { id: string; status: string; expiresAt: string };
      };
      assert.notEqual(rotated.id, first.id);
      assert.deepEqual(rotated.roles, ['operator', 'auditor']);
      assert.equal(rotated.previous.status, 'active', 'the old token works during the overlap');
      const overlap = Date.parse(rotated.previous.expiresAt) - Date.now();
      assert.ok(overlap > 3_500_000 && overlap <= 3_600_000);
      await runTokensRevoke(rotated.id, { db: database.location }, captureIo());
      const store = await openStore(database.location);
      try {
        const tokens = new TokenStore(store);
        assert.deepEqual(await tokens.authenticate(rotated.secret), { ok: false, reason: 'revoked' });
        const later = new TokenStore(store, { clock: () => Date.now() + 3_600_001 });
        assert.deepEqual(
          await later.authenticate(first.secret),
          { ok: false, reason: 'expired' },
          'refused after the overlap',
        );
      } finally {
        await store.close();
      }
      const rows = await auditRows(database.location);
      const actions = rows
        .filter((r) => r.subject === first.id || r.subject === rotated.id)
        .map((r) => [r.action, r.subject]);
      assert.deepEqual(actions, [
        ['token.created', first.id],
        ['token.rotated', rotated.id],
        ['token.revoked', rotated.id],
      ]);
      assert.ok(rows.every((r) => r.actor === cliActor()));
      assert.match(cliActor(), /^cli:\S+$/);
      assert.equal(JSON.stringify(rows).includes(first.secret), false, 'the audit log holds no secret');
    });

    test('no role, an unknown role or a bad duration is a usage error', async () => {
      const base = { db: database.location, name: 'x' };
      await assert.rejects(
        runTokensCreate({ ...base, role: [] }, captureIo()),
        (e: unknown) => e instanceof UsageError && /at least one --role/.test(e.message),
      );
      await assert.rejects(runTokensCreate({ ...base, role: ['boss'] }, captureIo()), UsageError);
      await assert.rejects(runTokensCreate({ ...base, role: ['admin'], expiresIn: 'soon' }, captureIo()), UsageError);
      await assert.rejects(
        runTokensRotate('tok_x', { db: database.location, overlap: 'long' }, captureIo()),
        UsageError,
      );
    });

    test('an unknown id is LL_ERR_NOT_FOUND; rotating a revoked token is refused', async () => {
      await assert.rejects(
        runTokensRevoke('tok_missing', { db: database.location }, captureIo()),
        /LL_ERR_NOT_FOUND|no token/,
      );
      const io = captureIo();
      await runTokensCreate({ db: database.location, name: 'gone', role: ['auditor'], json: true }, io);
      const { id } = JSON.parse(io.lines[0]!) as { id: string };
      await runTokensRevoke(id, { db: database.location }, captureIo());
      await assert.rejects(
        runTokensRotate(id, { db: database.location }, captureIo()),
        (error: unknown) => (error as { code?: string }).code === 'LL_ERR_ILLEGAL_TRANSITION',
      );
    });
  });
}

interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function cli(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', ...args],
      { cwd: root, env: { ...process.env, LEDGERLINK_LOG_LEVEL: 'silent', ...env }, timeout: 180_000 },
      (error, stdout, stderr) =>
        resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stdout, stderr }),
    );
  });
}

describe('ledgerlink tokens as spawned [sqlite]', () => {
  test('create, list, rotate and revoke through the command line; exit codes 1 and 2', async () => {
    const database = await createTestDatabase('sqlite', 'cli_tokens_spawn');
    try {
      await (await openStore(database.location, { migrate: true })).close();
      const created = await cli(['tokens', 'create', '--name', 'admin', '--role', 'admin', '--db', database.location]);
      assert.equal(created.code, 0, created.stderr);
      const secret = /^(llt_\S+)$/m.exec(created.stdout)?.[1];
      const id = /token (tok_[0-9a-f]+)/.exec(created.stdout)?.[1];
      assert.ok(secret && id, created.stdout);
      const listed = await cli(['tokens', 'list'], { LEDGERLINK_DB: database.location });
      assert.equal(listed.code, 0, listed.stderr);
      assert.match(listed.stdout, new RegExp(`${id}\\s+admin\\s+active\\s+admin\\s+-\\s+never`));
      assert.equal(listed.stdout.includes(secret), false);
      const rotated = await cli(['tokens', 'rotate', id, '--overlap', '0', '--json', '--db', database.location]);
      assert.equal(rotated.code, 0, rotated.stderr);
      const answer = JSON.parse(rotated.stdout) as { id: string; secret: string; previous: { status: string } };
      assert.ok(answer.secret !== secret && answer.secret.startsWith('llt_'));
      assert.equal(answer.previous.status, 'revoked', 'overlap 0 revokes the old token at once');
      const missing = await cli(['tokens', 'revoke', 'tok_nope', '--db', database.location]);
      assert.equal(missing.code, 1);
      assert.match(missing.stderr, /LL_ERR_NOT_FOUND/);
      const badRole = await cli(['tokens', 'create', '--name', 'x', '--role', 'boss', '--db', database.location]);
      assert.equal(badRole.code, 2);
      assert.match(badRole.stderr, /unknown role "boss"/);
    } finally {
      await database.drop();
    }
  });
});
