/**
 * Who may call what, over real HTTP on both stores: no, unknown, malformed, expired and revoked tokens
 * are 401; the auditor reads runs but cannot post events; a service token posts for its own system
 * only; public routes stay public; /metrics can be made to need kpis:read; the OpenAPI document
 * declares the bearer scheme. Refusals land in the audit log.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { generateToken, TokenStore } from '../../src/security/api-tokens.js';
import { storeKinds } from '../helpers/stores.js';
import { errorCode, postEvent, request, startApp, type AppFixture } from './app-fixture.js';

const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });

for (const kind of storeKinds) {
  describe(`access control over HTTP [${kind}]`, () => {
    let f: AppFixture;
    before(async () => {
      f = await startApp(kind, 'api_access', { role: 'api' });
    });
    after(async () => f.close());

    const runs = (headers: Record<string, string> = {}) => request(`${f.url}/v1/runs`, { headers });

    test('no token, another scheme, an unknown, expired or revoked token: 401 with WWW-Authenticate', async () => {
      const tokens = new TokenStore(f.app.store);
      const past = new TokenStore(f.app.store, { clock: () => Date.now() - 60_000 });
      const expired = await past.create({ name: 'expired', roles: ['admin'], expiresAt: Date.now() - 1_000 });
      const revoked = await tokens.create({ name: 'revoked', roles: ['admin'] });
      await tokens.revoke(revoked.record.id);
      const cases: [Record<string, string>, string][] = [
        [{}, 'missing'],
        [{ authorization: 'Basic dXNlcjpwYXNz' }, 'malformed'],
        [bearer('not-a-token'), 'malformed'],
        [bearer(generateToken()), 'unknown'],
        [bearer(expired.secret), 'expired'],
        [bearer(revoked.secret), 'revoked'],
      ];
      for (const [headers, reason] of cases) {
        const answer = await runs(headers);
        assert.equal(answer.status, 401, reason);
        assert.equal(errorCode(answer), 'LL_ERR_UNAUTHENTICATED', reason);
        assert.match(answer.headers.get('www-authenticate') ?? '', /^Bearer/, reason);
        assert.equal((answer.json as { error: { details: { reason: string }[] } }).error.details[0]?.reason, reason);
      }
      const rows = await f.app.store.db
        .selectFrom('audit_log')
        .select(['actor', 'subject', 'data'])
        .where('action', '=', 'auth.denied')
        .execute();
      const reasons = new Set(rows.map((r) => (JSON.parse(r.data) as { reason: string }).reason));
      for (const [, reason] of cases) assert.ok(reasons.has(reason), `${reason} audited`);
      assert.ok(rows.every((r) => r.subject === 'GET /v1/runs'));
    });

    test('the auditor reads runs and traces but cannot post events', async () => {
      const auditor = bearer(await f.tokenFor(['auditor'], 'auditor-ada'));
      assert.equal((await runs(auditor)).status, 200);
      assert.equal(
        (await request(`${f.url}/v1/trace/nothing-here`, { headers: auditor })).status,
        404,
        'allowed, just nothing to show',
      );
      const posted = await postEvent(f.url, 'expense', '{"id":"A-1"}', auditor);
      assert.equal(posted.status, 403);
      assert.equal(errorCode(posted), 'LL_ERR_FORBIDDEN');
      const row = await f.app.store.db
        .selectFrom('audit_log')
        .select(['actor', 'data'])
        .where('action', '=', 'auth.denied')
        .where('actor', '=', 'token:auditor-ada')
        .executeTakeFirst();
      assert.ok(row, 'the 403 is audited under the token name');
      const data = JSON.parse(row.data) as { reason: string; action: string; tokenId: string; ip: string };
      assert.deepEqual([data.reason, data.action], ['forbidden', 'events:post:expense']);
      assert.match(data.tokenId, /^tok_/);
      assert.equal(data.ip, '127.0.0.1');
    });

    test('a service token posts for its own system only and reads nothing', async () => {
      const expense = bearer(await f.tokenFor(['service:expense']));
      assert.equal((await postEvent(f.url, 'expense', '{"id":"S-1"}', expense)).status, 202);
      const other = await postEvent(f.url, 'procurement', '{"id":"S-2"}', expense);
      assert.equal(other.status, 403);
      assert.equal(errorCode(other), 'LL_ERR_FORBIDDEN');
      assert.equal((await runs(expense)).status, 403);
      const unknown = await postEvent(f.url, 'nosuch', '{}', expense);
      assert.equal(unknown.status, 404, 'an unknown system is still 404 for an authenticated caller');
      const anonymous = await postEvent(f.url, 'expense', '{"id":"S-3"}');
      assert.equal(anonymous.status, 401);
      assert.match(anonymous.headers.get('www-authenticate') ?? '', /^Bearer/);
      const stored = await f.app.store.db
        .selectFrom('inbox_events')
        .select('id')
        .where('system', '=', 'procurement')
        .where('payload', '=', '{"id":"S-2"}')
        .execute();
      assert.equal(stored.length, 0, 'a refused delivery is not stored');
    });

    test('operator and admin read runs; admin posts for any system', async () => {
      assert.equal((await runs(bearer(await f.tokenFor(['operator'])))).status, 200);
      assert.equal((await runs(f.auth)).status, 200);
      assert.equal((await postEvent(f.url, 'procurement', '{"id":"AD-1"}', f.auth)).status, 202);
    });

    test('health, readiness, docs and metrics are public; the document declares the bearer scheme', async () => {
      for (const path of ['/healthz', '/readyz', '/docs', '/metrics'])
        assert.equal((await request(`${f.url}${path}`)).status, 200, path);
      const doc = (await request(`${f.url}/docs`)).json as {
        components: { securitySchemes: Record<string, { type: string; scheme: string }> };
        security: Record<string, unknown>[];
        paths: Record<string, Record<string, { security?: unknown[] }>>;
      };
      assert.deepEqual(doc.components.securitySchemes['bearerAuth'], {
        ...doc.components.securitySchemes['bearerAuth'],
        type: 'http',
        scheme: 'bearer',
      });
      assert.deepEqual(doc.security, [{ bearerAuth: [] }]);
      assert.deepEqual(doc.paths['/healthz']?.['get']?.security, []);
      assert.equal(
        doc.paths['/v1/runs']?.['get']?.security,
        undefined,
        'protected routes inherit the global requirement',
      );
    });
  });
}

describe('metrics behind a token [sqlite]', () => {
  test('with server.metricsRequireToken, /metrics needs kpis:read', async () => {
    const f = await startApp('sqlite', 'api_metrics_token', {
      role: 'api',
      config: { server: { metricsRequireToken: true } },
    });
    try {
      assert.equal((await request(`${f.url}/metrics`)).status, 401);
      assert.equal(
        (await request(`${f.url}/metrics`, { headers: bearer(await f.tokenFor(['service:erp'])) })).status,
        403,
      );
      assert.equal((await request(`${f.url}/metrics`, { headers: bearer(await f.tokenFor(['auditor'])) })).status, 200);
      assert.equal((await request(`${f.url}/healthz`)).status, 200);
    } finally {
      await f.close();
    }
  });
});
