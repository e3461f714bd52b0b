/**
 * The web console's sessions and pages over real HTTP on both stores: login with a token sets an
 * httpOnly SameSite=Strict session cookie and a CSRF cookie; the cookie acts with the token's roles;
 * a state-changing call without the CSRF token is 403 LL_ERR_CSRF; revoking the token, idling past
 * the limit and logging out each end the session. The console page, /docs and /docs/json are served,
 * and API reads carry ETags answered 304 when unchanged.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createHash } from 'node:crypto';
import { TokenStore } from '../../src/security/api-tokens.js';
import { storeKinds } from '../helpers/stores.js';
import { errorCode, request, startApp, type AppFixture } from './app-fixture.js';

interface Session {
  readonly cookie: string;
  readonly csrf: string;
  readonly setCookies: string[];
}

for (const kind of storeKinds) {
  describe(`console sessions [${kind}]`, () => {
    let f: AppFixture;
    before(async () => {
      f = await startApp(kind, 'console_sessions');
    });
    after(async () => f.close());

    const login = async (token: string): Promise<Session> => {
      const answer = await request(`${f.url}/v1/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token }),
      });
      assert.equal(answer.status, 200, answer.text);
      const setCookies = answer.headers.getSetCookie();
      const value = (name: string) =>
        setCookies
          .find((c) => c.startsWith(`${name}=`))!
          .split(';')[0]!
          .split('=')[1]!;
      return {
        cookie: `ll_session=${value('ll_session')}; ll_csrf=${value('ll_csrf')}`,
        csrf: value('ll_csrf'),
        setCookies,
      };
    };
    const withSession = (s: Session, path: string, init: RequestInit = {}) =>
      request(`${f.url}${path}`, {
        ...init,
        headers: { cookie: s.cookie, ...(init.headers as Record<string, string>) },
      });
    const reopen = (s: Session, csrf: string | undefined) =>
      withSession(s, '/v1/periods/1010/2026-01', {
        method: 'PUT',
        headers: { 'content-type': 'application/json', ...(csrf === undefined ? {} : { 'x-csrf-token': csrf }) },
        body: JSON.stringify({ status: 'open', reason: 'console test' }),
      });

    test('a refused token cannot log in; a valid one gets the two cookies and the roles it has', async () => {
      const refused = await request(`${f.url}/v1/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token: 'llt_not-a-token' }),
      });
      assert.deepEqual([refused.status, errorCode(refused)], [401, 'LL_ERR_UNAUTHENTICATED']);
      assert.equal(refused.headers.getSetCookie().length, 0);

      const s = await login(await f.tokenFor(['operator'], 'ops-person'));
      const [session, csrf] = [
        s.setCookies.find((c) => c.startsWith('ll_session='))!,
        s.setCookies.find((c) => c.startsWith('ll_csrf='))!,
      ];
      assert.match(session, /; HttpOnly/);
      assert.match(session, /; SameSite=Strict/);
      assert.match(session, /; Path=\//);
      assert.doesNotMatch(session, /Secure/, 'plain HTTP: not Secure');
      assert.doesNotMatch(csrf, /HttpOnly/, 'the page reads the CSRF cookie');
      const me = await withSession(s, '/v1/session');
      const body = me.json as { name: string; roles: string[]; actions: string[] };
      assert.deepEqual([body.name, body.roles], ['ops-person', ['operator']]);
      assert.ok(body.actions.includes('exceptions:act'));
      assert.ok(!body.actions.includes('audit:read'));
      const rows = await f.app.store.db.selectFrom('console_sessions').selectAll().execute();
      const id = s.cookie.split(';')[0]!.split('=')[1]!;
      assert.ok(
        rows.some((r) => r.id_hash === createHash('sha256').update(id).digest('hex')),
        'only the hash of the session id is stored',
      );
      assert.ok(rows.every((r) => r.id_hash !== id && r.csrf_hash !== s.csrf));
    });

    test('the cookie acts with the token roles; a change needs the CSRF token', async () => {
      const operator = await login(await f.tokenFor(['operator'], 'ops-csrf'));
      assert.equal((await withSession(operator, '/v1/kpis')).status, 200);
      const forged = await reopen(operator, undefined);
      assert.deepEqual([forged.status, errorCode(forged)], [403, 'LL_ERR_CSRF']);
      const wrong = await reopen(operator, 'x'.repeat(43));
      assert.deepEqual([wrong.status, errorCode(wrong)], [403, 'LL_ERR_CSRF']);
      assert.equal((await reopen(operator, operator.csrf)).status, 200);

      const auditor = await login(await f.tokenFor(['auditor'], 'audit-person'));
      const refused = await reopen(auditor, auditor.csrf);
      assert.deepEqual([refused.status, errorCode(refused)], [403, 'LL_ERR_FORBIDDEN']);
      const audit = await f.app.store.db
        .selectFrom('audit_log')
        .select('actor')
        .where('action', '=', 'period.opened')
        .execute();
      assert.deepEqual(
        audit.map((a) => a.actor),
        ['token:ops-csrf'],
      );
    });

    test('revoking the token, idling past the limit and logging out each end the session', async () => {
      const tokens = new TokenStore(f.app.store);
      const issued = await tokens.create({ name: 'to-revoke', roles: ['operator'] });
      const revoked = await login(issued.secret);
      await tokens.revoke(issued.record.id);
      const afterRevoke = await withSession(revoked, '/v1/kpis');
      assert.deepEqual([afterRevoke.status, errorCode(afterRevoke)], [401, 'LL_ERR_UNAUTHENTICATED']);

      const idle = await login(await f.tokenFor(['operator'], 'idle-person'));
      const idleHash = createHash('sha256').update(idle.cookie.split(';')[0]!.split('=')[1]!).digest('hex');
      await f.app.store.db
        .updateTable('console_sessions')
        .set({ idle_until: Date.now() - 1 })
        .where('id_hash', '=', idleHash)
        .execute();
      const afterIdle = await withSession(idle, '/v1/kpis');
      assert.equal(afterIdle.status, 401);
      assert.match(afterIdle.text, /session idle/);

      const s = await login(await f.tokenFor(['operator'], 'leaving-person'));
      const noCsrf = await withSession(s, '/v1/session', { method: 'DELETE' });
      assert.deepEqual([noCsrf.status, errorCode(noCsrf)], [403, 'LL_ERR_CSRF']);
      const out = await withSession(s, '/v1/session', { method: 'DELETE', headers: { 'x-csrf-token': s.csrf } });
      assert.deepEqual([out.status, out.json], [200, { ended: true }]);
      assert.ok(out.headers.getSetCookie().every((c) => c.includes('Max-Age=0')));
      assert.equal((await withSession(s, '/v1/kpis')).status, 401);
    });

    test('the audit log for auditors: newest first, filtered, paged, and the chain verified', async () => {
      const auditor = { authorization: `Bearer ${await f.tokenFor(['auditor'], 'audit-reader')}` };
      const operator = { authorization: `Bearer ${await f.tokenFor(['operator'], 'ops-reader')}` };
      const refused = await request(`${f.url}/v1/audit`, { headers: operator });
      assert.deepEqual([refused.status, errorCode(refused)], [403, 'LL_ERR_FORBIDDEN']);
      const all = (await request(`${f.url}/v1/audit?limit=500`, { headers: auditor })).json as {
        entries: { seq: number; action: string; actor: string }[];
      };
      assert.ok(all.entries.length >= 1);
      const seqs = all.entries.map((e) => e.seq);
      assert.deepEqual(
        seqs,
        [...seqs].sort((a, b) => b - a),
        'newest first',
      );
      const opened = (await request(`${f.url}/v1/audit?action=period.opened`, { headers: auditor })).json as {
        entries: { actor: string }[];
      };
      assert.deepEqual(
        opened.entries.map((e) => e.actor),
        ['token:ops-csrf'],
      );
      const first = (await request(`${f.url}/v1/audit?limit=1`, { headers: auditor })).json as {
        entries: { seq: number }[];
        next: string | null;
      };
      assert.ok(first.next !== null);
      const second = (await request(`${f.url}/v1/audit?limit=1&cursor=${first.next}`, { headers: auditor })).json as {
        entries: { seq: number }[];
      };
      assert.ok(second.entries[0]!.seq < first.entries[0]!.seq);
      const verdict = (await request(`${f.url}/v1/audit/verify`, { headers: auditor })).json as { ok: boolean };
      assert.equal(verdict.ok, true);
    });

    test('the console page, the API reference and ETags', async () => {
      const page = await request(`${f.url}/`);
      if (page.status === 200) {
        assert.match(page.text, /<div id="root">/);
        assert.match(page.headers.get('content-security-policy') ?? '', /script-src 'self'/);
      } else assert.equal(errorCode(page), 'LL_ERR_NOT_FOUND', 'without a built bundle / says how to build it');
      const html = await request(`${f.url}/docs`, { headers: { accept: 'text/html' } });
      assert.match(html.headers.get('content-type') ?? '', /text\/html/);
      assert.match(html.text, /swagger-ui-bundle\.js/);
      const bundle = await request(`${f.url}/docs/static/swagger-ui-bundle.js`);
      assert.equal(bundle.status, 200);
      assert.equal((await request(`${f.url}/docs/static/index.html`)).status, 404, 'only the renderer is served');
      const spec = (await request(`${f.url}/docs/json`)).json as { openapi: string; paths: Record<string, unknown> };
      assert.match(spec.openapi, /^3\./);
      assert.ok(spec.paths['/v1/session']);

      const first = await request(`${f.url}/v1/exceptions`, { headers: f.auth });
      const etag = first.headers.get('etag');
      assert.ok(etag);
      const again = await request(`${f.url}/v1/exceptions`, { headers: { ...f.auth, 'if-none-match': etag } });
      assert.deepEqual([again.status, again.text], [304, '']);
    });
  });
}
