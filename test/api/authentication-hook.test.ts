/**
 * The authentication hook on a server built here with test-only routes, on both stores: operator and
 * auditor on an `exceptions:act` route, deny by default, the token cache and its revocation delay,
 * rotation overlap, and the aggregation of repeated refusals in the audit log. A settable clock
 * drives expiry, the cache and the audit windows; nothing waits on real time.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import Fastify from 'fastify';
import type { ApiServer } from '../../src/api/api-context.js';
import { useAuthentication } from '../../src/api/authentication.js';
import { DenialAudit } from '../../src/api/denial-audit.js';
import { replyWithError } from '../../src/api/error-reply.js';
import { TokenStore, type AuthResult } from '../../src/security/api-tokens.js';
import { CachedTokenAuthenticator } from '../../src/security/cached-token-authenticator.js';
import { openTestStore, storeKinds, type TestStore } from '../helpers/stores.js';

const HOUR = 3_600_000;

interface Harness {
  readonly app: ApiServer;
  readonly tokens: TokenStore;
  readonly denials: DenialAudit;
  readonly lookups: { count: number };
  readonly clock: { now: number };
}

async function buildHarness(t: TestStore, cacheMs: number): Promise<Harness> {
  const clock = { now: Date.UTC(2026, 0, 15, 9, 0, 0) };
  const now = (): number => clock.now;
  const tokens = new TokenStore(t.store, { clock: now });
  const lookups = { count: 0 };
  const counting = {
    authenticate: (presented: string | undefined): Promise<AuthResult> => {
      lookups.count++;
      return tokens.authenticate(presented);
    },
  };
  const denials = new DenialAudit(t.store, { clock: now });
  const app = Fastify() as unknown as ApiServer;
  app.setErrorHandler(replyWithError);
  useAuthentication(app, {
    tokens: new CachedTokenAuthenticator(counting, { ttlMs: cacheMs, clock: now }),
    denials,
    systems: new Set(['expense']),
  });
  app.post('/test/exceptions/:id/retry', { config: { action: 'exceptions:act' } }, async (request) => ({
    by: request.principal?.name,
  }));
  app.get('/test/unruled', async () => ({ reached: true }));
  app.get('/test/public', { config: { public: true } }, async () => ({ open: true }));
  await app.ready();
  return { app, tokens, denials, lookups, clock };
}

const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });

async function deniedRows(t: TestStore): Promise<Record<string, unknown>[]> {
  const rows = await t.store.db
    .selectFrom('audit_log')
    .selectAll()
    .where('action', '=', 'auth.denied')
    .orderBy('seq')
    .execute();
  return rows.map((r) => ({ actor: r.actor, subject: r.subject, ...(JSON.parse(r.data) as Record<string, unknown>) }));
}

for (const kind of storeKinds) {
  describe(`authentication hook [${kind}]`, () => {
    let t: TestStore;
    before(async () => {
      t = await openTestStore(kind, 'auth_hook');
    });
    after(async () => t.close());

    test('operator may act on exceptions, auditor gets 403; both refusals are audited', async () => {
      const h = await buildHarness(t, 0);
      try {
        const operator = (await h.tokens.create({ name: 'olga', roles: ['operator'] })).secret;
        const auditor = await h.tokens.create({ name: 'arne', roles: ['auditor'] });
        const ok = await h.app.inject({
          method: 'POST',
          url: '/test/exceptions/exc_1/retry',
          headers: bearer(operator),
        });
        assert.equal(ok.statusCode, 200);
        assert.deepEqual(ok.json(), { by: 'olga' });
        const forbidden = await h.app.inject({
          method: 'POST',
          url: '/test/exceptions/exc_1/retry',
          headers: bearer(auditor.secret),
        });
        assert.equal(forbidden.statusCode, 403);
        assert.equal(forbidden.json().error.code, 'LL_ERR_FORBIDDEN');
        const anonymous = await h.app.inject({ method: 'POST', url: '/test/exceptions/exc_1/retry' });
        assert.equal(anonymous.statusCode, 401);
        assert.equal(anonymous.json().error.code, 'LL_ERR_UNAUTHENTICATED');
        assert.match(String(anonymous.headers['www-authenticate']), /^Bearer/);
        const rows = await deniedRows(t);
        const refusal = rows.find((r) => r['reason'] === 'forbidden');
        assert.ok(refusal, 'the 403 is audited');
        assert.equal(refusal['actor'], 'token:arne');
        assert.equal(refusal['tokenId'], auditor.record.id);
        assert.equal(refusal['action'], 'exceptions:act');
        assert.equal(refusal['route'], 'POST /test/exceptions/:id/retry');
        assert.equal(refusal['ip'], '127.0.0.1');
        const missing = rows.find((r) => r['reason'] === 'missing');
        assert.ok(missing, 'the 401 is audited');
        assert.equal(missing['actor'], 'anonymous');
        assert.equal(missing['code'], 'LL_ERR_UNAUTHENTICATED');
      } finally {
        await h.app.close();
      }
    });

    test('a route without an access rule is refused even to admin; public routes need no token', async () => {
      const h = await buildHarness(t, 0);
      try {
        const admin = (await h.tokens.create({ name: 'root', roles: ['admin'] })).secret;
        const unruled = await h.app.inject({ method: 'GET', url: '/test/unruled', headers: bearer(admin) });
        assert.equal(unruled.statusCode, 403);
        assert.equal(unruled.json().error.code, 'LL_ERR_FORBIDDEN');
        assert.equal((await h.app.inject({ method: 'GET', url: '/test/public' })).statusCode, 200);
        assert.equal((await h.app.inject({ method: 'GET', url: '/test/nowhere' })).statusCode, 404);
        assert.ok((await deniedRows(t)).some((r) => r['reason'] === 'no_access_rule' && r['tokenName'] === 'root'));
      } finally {
        await h.app.close();
      }
    });

    test('a checked token is cached: one lookup for many requests; a revocation bites once the cache lapses', async () => {
      const h = await buildHarness(t, 5_000);
      try {
        const issued = await h.tokens.create({ name: 'cached', roles: ['operator'] });
        for (let i = 0; i < 10; i++) {
          assert.equal(
            (await h.app.inject({ method: 'POST', url: '/test/exceptions/x/retry', headers: bearer(issued.secret) }))
              .statusCode,
            200,
          );
        }
        assert.equal(h.lookups.count, 1);
        await h.tokens.revoke(issued.record.id);
        h.clock.now += 1_000;
        assert.equal(
          (await h.app.inject({ method: 'POST', url: '/test/exceptions/x/retry', headers: bearer(issued.secret) }))
            .statusCode,
          200,
          'within the cache time',
        );
        h.clock.now += 5_000;
        const refused = await h.app.inject({
          method: 'POST',
          url: '/test/exceptions/x/retry',
          headers: bearer(issued.secret),
        });
        assert.equal(refused.statusCode, 401);
        assert.equal(refused.json().error.details[0].reason, 'revoked');
      } finally {
        await h.app.close();
      }
    });

    test('rotation: the old token works during the overlap and is refused after it', async () => {
      const h = await buildHarness(t, 5_000);
      try {
        const old = await h.tokens.create({ name: 'rotating', roles: ['operator'] });
        const rotated = await h.tokens.rotate(old.record.id, { overlapMs: HOUR });
        const call = (token: string) =>
          h.app.inject({ method: 'POST', url: '/test/exceptions/x/retry', headers: bearer(token) });
        assert.equal((await call(old.secret)).statusCode, 200);
        assert.equal((await call(rotated.secret)).statusCode, 200);
        h.clock.now += HOUR - 1;
        assert.equal((await call(old.secret)).statusCode, 200, 'still inside the overlap');
        h.clock.now += 1;
        const after = await call(old.secret);
        assert.equal(after.statusCode, 401, 'the cached answer honours the expiry it knew');
        assert.equal(after.json().error.details[0].reason, 'expired');
        assert.equal((await call(rotated.secret)).statusCode, 200);
      } finally {
        await h.app.close();
      }
    });

    test('a flood of identical refusals is one row per minute plus one row with the count', async () => {
      const h = await buildHarness(t, 0);
      try {
        const before = (await deniedRows(t)).length;
        for (let i = 0; i < 25; i++) {
          assert.equal(
            (await h.app.inject({ method: 'GET', url: '/test/unruled', headers: bearer('llt_' + 'A'.repeat(43)) }))
              .statusCode,
            401,
          );
        }
        let rows = (await deniedRows(t)).slice(before);
        assert.equal(rows.length, 1, 'the first refusal is written at once, the rest counted');
        assert.equal(rows[0]!['count'], 1);
        assert.equal(rows[0]!['reason'], 'unknown');
        h.clock.now += 60_000;
        assert.equal((await h.app.inject({ method: 'GET', url: '/test/unruled' })).statusCode, 401);
        rows = (await deniedRows(t)).slice(before);
        assert.equal(rows.length, 3, 'the closed window wrote its count, the new window its first refusal');
        assert.deepEqual([rows[1]!['reason'], rows[1]!['count'], rows[1]!['repeated']], ['unknown', 24, true]);
        assert.equal(rows[2]!['reason'], 'missing');
        await h.denials.stop();
        assert.equal(
          (await deniedRows(t)).slice(before).length,
          3,
          'nothing repeated in the open window: nothing more to write',
        );
      } finally {
        await h.app.close();
      }
    });
  });
}

describe('refusal audit bounds', () => {
  test('distinct keys beyond the limit fold into one overflow row', async () => {
    const t = await openTestStore('sqlite', 'auth_overflow');
    try {
      const denials = new DenialAudit(t.store, { clock: () => 1_000, maxKeysPerWindow: 3 });
      for (let i = 0; i < 50; i++) {
        await denials.record({
          reason: 'unknown',
          code: 'LL_ERR_UNAUTHENTICATED',
          route: 'GET /v1/runs',
          action: 'runs:read',
          tokenId: null,
          tokenName: null,
          ip: `10.0.0.${i}`,
        });
      }
      await denials.stop();
      const rows = await deniedRows(t);
      assert.equal(rows.length, 5, 'three keys, the overflow key, and the overflow count');
      const overflow = rows.filter((r) => r['ip'] === '*');
      assert.deepEqual(
        overflow.map((r) => r['count']),
        [1, 46],
      );
    } finally {
      await t.close();
    }
  });
});
