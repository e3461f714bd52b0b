import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { isLedgerlinkError } from '../canonical/errors.js';
import { openTestStore, storeKinds, testPostgresUrl, type TestStore } from '../../test/helpers/stores.js';
import {
  TOKEN_PATTERN,
  TokenStore,
  authorize,
  generateToken,
  hashToken,
  hashesEqual,
  tokenStatus,
} from './api-tokens.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

async function rejectsWith(code: string, promise: Promise<unknown>): Promise<void> {
  await assert.rejects(promise, (error: unknown) => isLedgerlinkError(error) && error.code === code);
}

describe('token primitives', () => {
  test('tokens are llt_ + 32 random bytes base64url, each different', () => {
    const a = generateToken();
    const b = generateToken();
    assert.match(a, TOKEN_PATTERN);
    assert.equal(Buffer.from(a.slice(4), 'base64url').length, 32);
    assert.notEqual(a, b);
  });

  test('hashes are SHA-256 hex and compare in constant time', () => {
    const token = generateToken();
    const hash = hashToken(token);
    assert.match(hash, /^[0-9a-f]{64}$/);
    assert.ok(hashesEqual(hash, hashToken(token)));
    assert.equal(hashesEqual(hash, hashToken(generateToken())), false);
    assert.equal(hashesEqual(hash, 'abc'), false);
  });

  test('status: expiry and revocation are exclusive at their instant', () => {
    assert.equal(tokenStatus({ expiresAt: null, revokedAt: null }, 1000), 'active');
    assert.equal(tokenStatus({ expiresAt: 1000, revokedAt: null }, 999), 'active');
    assert.equal(tokenStatus({ expiresAt: 1000, revokedAt: null }, 1000), 'expired');
    assert.equal(tokenStatus({ expiresAt: 5000, revokedAt: 1000 }, 1000), 'revoked');
  });
});

for (const kind of storeKinds) {
  describe(`TokenStore [${kind}]`, () => {
    let t: TestStore;
    let now = Date.UTC(2025, 0, 1);
    let tokens: TokenStore;
    before(async () => {
      t = await openTestStore(kind, 'api-tokens');
      tokens = new TokenStore(t.store, { clock: () => now });
    });
    after(async () => t.close());

    test('create, authenticate, list without secrets; roles allow what the matrix says', async () => {
      const issued = await tokens.create({ name: 'erp webhook', roles: ['service:erp'] });
      assert.match(issued.secret, TOKEN_PATTERN);
      assert.deepEqual(issued.record.roles, ['service:erp']);
      const result = await tokens.authenticate(issued.secret);
      assert.ok(result.ok);
      assert.equal(result.token.id, issued.record.id);
      assert.equal(result.token.lastUsedAt, now);
      assert.ok(authorize(result.token.roles, 'events:post:erp'));
      assert.equal(authorize(result.token.roles, 'events:post:expense'), false);
      const listed = await tokens.list();
      const mine = listed.find((r) => r.id === issued.record.id);
      assert.ok(mine);
      assert.deepEqual(Object.keys(mine).sort(), [
        'createdAt',
        'expiresAt',
        'id',
        'lastUsedAt',
        'name',
        'revokedAt',
        'roles',
      ]);
      assert.ok(!JSON.stringify(listed).includes(issued.secret));
      assert.ok(!JSON.stringify(listed).includes(hashToken(issued.secret)));
    });

    test('missing, malformed and unknown tokens are refused with their reason', async () => {
      assert.deepEqual(await tokens.authenticate(undefined), { ok: false, reason: 'missing' });
      assert.deepEqual(await tokens.authenticate(''), { ok: false, reason: 'missing' });
      assert.deepEqual(await tokens.authenticate('Bearer nope'), { ok: false, reason: 'malformed' });
      assert.deepEqual(await tokens.authenticate(generateToken()), { ok: false, reason: 'unknown' });
      const issued = await tokens.create({ name: 'x', roles: ['auditor'] });
      const almost = issued.secret.slice(0, -1) + (issued.secret.endsWith('A') ? 'B' : 'A');
      assert.deepEqual(await tokens.authenticate(almost), { ok: false, reason: 'unknown' });
      const error = await tokens.requireToken(undefined).catch((e: unknown) => e);
      assert.ok(isLedgerlinkError(error) && error.code === 'LL_ERR_UNAUTHENTICATED' && error.status === 401);
    });

    test('expiry: works until expiresAt, refused from then on', async () => {
      const issued = await tokens.create({ name: 'short', roles: ['operator'], expiresAt: now + HOUR });
      assert.ok((await tokens.authenticate(issued.secret)).ok);
      now += HOUR;
      assert.deepEqual(await tokens.authenticate(issued.secret), { ok: false, reason: 'expired' });
      await rejectsWith('LL_ERR_UNAUTHENTICATED', tokens.requireToken(issued.secret));
      await rejectsWith('LL_ERR_BAD_REQUEST', tokens.create({ name: 'past', roles: ['operator'], expiresAt: now - 1 }));
    });

    test('revocation takes effect at once; revoking again keeps the first time', async () => {
      const issued = await tokens.create({ name: 'to revoke', roles: ['admin'] });
      assert.ok((await tokens.authenticate(issued.secret)).ok);
      const revoked = await tokens.revoke(issued.record.id);
      assert.equal(revoked.revokedAt, now);
      assert.deepEqual(await tokens.authenticate(issued.secret), { ok: false, reason: 'revoked' });
      now += MINUTE;
      assert.equal((await tokens.revoke(issued.record.id)).revokedAt, now - MINUTE);
      await rejectsWith('LL_ERR_NOT_FOUND', tokens.revoke('tok_missing'));
    });

    test('rotation: new token works at once, old one until the overlap ends', async () => {
      const old = await tokens.create({ name: 'ci', roles: ['operator', 'auditor'], expiresAt: now + 30 * 24 * HOUR });
      const rotated = await tokens.rotate(old.record.id, { overlapMs: 10 * MINUTE });
      assert.notEqual(rotated.secret, old.secret);
      assert.equal(rotated.record.name, 'ci');
      assert.deepEqual(rotated.record.roles, ['operator', 'auditor']);
      assert.equal(rotated.record.expiresAt, now + 30 * 24 * HOUR, 'same lifetime, counted from the rotation');
      assert.equal(rotated.previous.expiresAt, now + 10 * MINUTE);
      assert.ok((await tokens.authenticate(rotated.secret)).ok);
      now += 10 * MINUTE - 1;
      assert.ok((await tokens.authenticate(old.secret)).ok, 'old token inside the overlap');
      now += 1;
      assert.deepEqual(await tokens.authenticate(old.secret), { ok: false, reason: 'expired' });
      assert.ok((await tokens.authenticate(rotated.secret)).ok);
      await rejectsWith('LL_ERR_ILLEGAL_TRANSITION', tokens.rotate(old.record.id, { overlapMs: 0 }));
    });

    test('rotation never extends the old token; overlap 0 revokes it; revoked tokens cannot rotate', async () => {
      const soon = await tokens.create({ name: 'soon', roles: ['auditor'], expiresAt: now + MINUTE });
      const r1 = await tokens.rotate(soon.record.id, { overlapMs: HOUR, expiresAt: null });
      assert.equal(r1.previous.expiresAt, now + MINUTE);
      assert.equal(r1.record.expiresAt, null);
      const forever = await tokens.create({ name: 'forever', roles: ['auditor'] });
      const r2 = await tokens.rotate(forever.record.id, { overlapMs: 0 });
      assert.equal(r2.previous.revokedAt, now);
      assert.equal(r2.record.expiresAt, null);
      assert.deepEqual(await tokens.authenticate(forever.secret), { ok: false, reason: 'revoked' });
      await rejectsWith('LL_ERR_ILLEGAL_TRANSITION', tokens.rotate(forever.record.id, { overlapMs: MINUTE }));
      await rejectsWith('LL_ERR_NOT_FOUND', tokens.rotate('tok_missing', { overlapMs: MINUTE }));
      await rejectsWith('LL_ERR_BAD_REQUEST', tokens.rotate(r2.record.id, { overlapMs: -1 }));
      const stored = await tokens.get(forever.record.id);
      assert.equal(stored?.revokedAt, now);
    });

    test('last_used_at is written at most once a minute', async () => {
      const issued = await tokens.create({ name: 'busy', roles: ['auditor'] });
      await tokens.authenticate(issued.secret);
      const first = now;
      now += 30_000;
      const second = await tokens.authenticate(issued.secret);
      assert.ok(second.ok && second.token.lastUsedAt === first);
      now += 30_000;
      await tokens.authenticate(issued.secret);
      assert.equal((await tokens.get(issued.record.id))?.lastUsedAt, now);
    });

    test('bad input is LL_ERR_BAD_REQUEST', async () => {
      await rejectsWith('LL_ERR_BAD_REQUEST', tokens.create({ name: ' ', roles: ['admin'] }));
      await rejectsWith('LL_ERR_BAD_REQUEST', tokens.create({ name: 'x', roles: [] }));
      await rejectsWith('LL_ERR_BAD_REQUEST', tokens.create({ name: 'x', roles: ['root'] }));
    });

    test('the database never holds a token in clear', async () => {
      const issued = await Promise.all(
        [1, 2, 3].map(async (i) => tokens.create({ name: `dump ${i}`, roles: ['admin'] })),
      );
      const secrets = issued.map((i) => i.secret);
      const rotated = await tokens.rotate(issued[0]!.record.id, { overlapMs: MINUTE });
      secrets.push(rotated.secret);
      const dump = await databaseDump(t);
      assert.ok(dump.includes(hashToken(secrets[0]!)), 'the dump sees the tokens table');
      for (const secret of secrets) {
        assert.equal(dump.includes(secret), false, 'token in clear');
        assert.equal(dump.includes(secret.slice(4)), false, 'token body in clear');
      }
    });
  });
}

/** Every byte of the database as text: the SQLite files (with the WAL), or every row of every table in the schema. */
async function databaseDump(t: TestStore): Promise<string> {
  if (t.database.kind === 'sqlite') {
    // The store stays open: the main file and its WAL together hold every committed row.
    const dir = dirname(t.database.location);
    return readdirSync(dir)
      .map((name) => readFileSync(join(dir, name)).toString('latin1'))
      .join('\n');
  }
  const schema = new URL(t.database.location).searchParams.get('schema') ?? 'public';
  const client = new pg.Client({ connectionString: testPostgresUrl });
  await client.connect();
  try {
    const tables = await client.query<{ table_name: string }>(
      'SELECT table_name FROM information_schema.tables WHERE table_schema = $1',
      [schema],
    );
    const parts: string[] = [];
    for (const { table_name } of tables.rows) {
      const rows = await client.query(`SELECT * FROM "${schema}"."${table_name}"`);
      parts.push(JSON.stringify(rows.rows));
    }
    return parts.join('\n');
  } finally {
    await client.end();
  }
}
