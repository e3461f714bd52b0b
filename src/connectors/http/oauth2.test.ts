import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { basicAuthorization } from './basic-auth.js';
import { HttpClient } from './http-client.js';
import { rejectsWith, sendJson, startTestServer, type LocalTestServer } from './local-test-server.js';
import { OAuth2Session } from './oauth2.js';

/** A token endpoint and an API on one real server. Tokens are `t1`, `t2`, …; refresh tokens rotate `r1` → `r2` → …. */
describe('OAuth2Session against a real token endpoint', () => {
  let server: LocalTestServer;
  let issued = 0;
  let rotation = 0;
  let revoked = new Set<string>();
  let expiresIn = 3600;
  let tokenDelayMs = 0;
  let validRefresh = 'r0';

  before(async () => {
    server = await startTestServer(async (req, res, body) => {
      if (req.url === '/oauth2/token') {
        await new Promise((resolve) => setTimeout(resolve, tokenDelayMs));
        const form = new URLSearchParams(body);
        if (form.get('grant_type') === 'refresh_token') {
          if (form.get('refresh_token') !== validRefresh) return sendJson(res, 400, { error: 'invalid_grant' });
          validRefresh = `r${++rotation}`;
          issued++;
          return sendJson(res, 200, {
            access_token: `t${issued}`,
            token_type: 'Bearer',
            expires_in: expiresIn,
            refresh_token: validRefresh,
            geolocation: 'https://us.api.example',
          });
        }
        const basic = req.headers.authorization;
        const bodyAuth = form.get('client_id') === 'cid' && form.get('client_secret') === 'csecret';
        if (basic !== basicAuthorization('cid', 'csecret') && !bodyAuth)
          return sendJson(res, 401, { error: 'invalid_client' });
        issued++;
        return sendJson(res, 200, {
          access_token: `t${issued}`,
          token_type: 'bearer',
          expires_in: expiresIn,
          scope: form.get('scope'),
        });
      }
      const token = req.headers.authorization?.replace('Bearer ', '') ?? '';
      if (!/^t\d+$/.test(token) || revoked.has(token)) return sendJson(res, 401, { error: 'invalid_token' });
      return sendJson(res, 200, { token });
    });
  });
  after(() => server.close());
  beforeEach(() => {
    issued = 0;
    revoked = new Set();
    expiresIn = 3600;
    tokenDelayMs = 0;
    server.requests.length = 0;
  });

  const tokenRequests = (): number => server.requests.filter((r) => r.url === '/oauth2/token').length;

  test('client credentials with HTTP Basic and scopes; the token is cached', async () => {
    const session = new OAuth2Session({
      system: 'coupa',
      tokenUrl: `${server.origin}/oauth2/token`,
      clientId: 'cid',
      clientSecret: 'csecret',
      scopes: ['core.invoice.read', 'core.invoice.write'],
    });
    const api = new HttpClient({ system: 'coupa', baseUrl: `${server.origin}/api`, auth: session });
    for (let i = 0; i < 3; i++) await api.request({ path: 'invoices' });
    assert.equal(tokenRequests(), 1);
    const tokenCall = server.requests.find((r) => r.url === '/oauth2/token')!;
    const form = new URLSearchParams(tokenCall.body);
    assert.equal(form.get('grant_type'), 'client_credentials');
    assert.equal(form.get('scope'), 'core.invoice.read core.invoice.write');
    assert.equal(form.get('client_secret'), null, 'secret not in the body with Basic');
    assert.equal(server.requests.at(-1)!.headers.authorization, 'Bearer t1');
  });

  test('client credentials in the form body', async () => {
    const session = new OAuth2Session({
      system: 'coupa',
      tokenUrl: `${server.origin}/oauth2/token`,
      clientId: 'cid',
      clientSecret: 'csecret',
      clientAuth: 'body',
    });
    assert.equal((await session.getToken()).accessToken, 't1');
    assert.equal(server.requests[0]!.headers.authorization, undefined);
  });

  test('10 concurrent calls send one token request', async () => {
    tokenDelayMs = 50;
    const session = new OAuth2Session({
      system: 'coupa',
      tokenUrl: `${server.origin}/oauth2/token`,
      clientId: 'cid',
      clientSecret: 'csecret',
    });
    const api = new HttpClient({ system: 'coupa', baseUrl: server.origin, auth: session });
    const answers = await Promise.all(Array.from({ length: 10 }, () => api.request({ path: 'api/x' })));
    assert.equal(tokenRequests(), 1);
    assert.equal(session.tokenRequestCount, 1);
    assert.ok(answers.every((a) => a.text === '{"token":"t1"}'));
  });

  test('refreshed before expiry: within the skew a new token is fetched, before it the cached one is used', async () => {
    const clock = { t: 1_000_000 };
    expiresIn = 600;
    const session = new OAuth2Session({
      system: 'coupa',
      tokenUrl: `${server.origin}/oauth2/token`,
      clientId: 'cid',
      clientSecret: 'csecret',
      refreshSkewMs: 60_000,
      now: () => clock.t,
    });
    assert.equal((await session.getToken()).accessToken, 't1');
    assert.equal(session.token?.expiresAt, 1_000_000 + 600_000);
    clock.t += 539_000; // 61 s before expiry
    assert.equal((await session.getToken()).accessToken, 't1');
    clock.t += 2_000; // 59 s before expiry: inside the skew
    assert.equal((await session.getToken()).accessToken, 't2');
    assert.equal(tokenRequests(), 2);
  });

  test('a 401 from the API drops the token and retries once with a new one; a second 401 is auth', async () => {
    const session = new OAuth2Session({
      system: 'coupa',
      tokenUrl: `${server.origin}/oauth2/token`,
      clientId: 'cid',
      clientSecret: 'csecret',
    });
    const api = new HttpClient({ system: 'coupa', baseUrl: server.origin, auth: session });
    await api.request({ path: 'api/a' });
    revoked.add('t1');
    const answer = await api.request({ path: 'api/b' });
    assert.equal(answer.text, '{"token":"t2"}');
    const apiCalls = server.requests.filter((r) => r.url === '/api/b');
    assert.deepEqual(
      apiCalls.map((r) => r.headers.authorization),
      ['Bearer t1', 'Bearer t2'],
    );
    revoked.add('t2');
    revoked.add('t3');
    await rejectsWith('LL_ERR_REMOTE_AUTH', api.request({ path: 'api/c' }));
    assert.equal(server.requests.filter((r) => r.url === '/api/c').length, 2, 'retried exactly once');
  });

  test('wrong client credentials are an auth failure, with no secret in the error', async () => {
    const session = new OAuth2Session({
      system: 'coupa',
      tokenUrl: `${server.origin}/oauth2/token`,
      clientId: 'cid',
      clientSecret: 'wrong-secret',
    });
    const error = await rejectsWith('LL_ERR_REMOTE_AUTH', session.getToken());
    assert.doesNotMatch(JSON.stringify({ m: error.message, d: error.details }), /wrong-secret/);
  });

  test('refresh-token grant rotates: each new refresh token is handed to the callback and used next', async () => {
    validRefresh = 'r0';
    rotation = 0;
    const clock = { t: 0 };
    const stored: string[] = [];
    const session = new OAuth2Session({
      system: 'concur',
      tokenUrl: `${server.origin}/oauth2/token`,
      clientId: 'cid',
      clientSecret: 'csecret',
      clientAuth: 'body',
      grant: { type: 'refresh_token', refreshToken: 'r0' },
      onRefreshTokenRotated: (token) => {
        stored.push(token);
      },
      now: () => clock.t,
    });
    const first = await session.getToken();
    assert.equal(first.fields.geolocation, 'https://us.api.example');
    assert.equal('refresh_token' in first.fields, false);
    clock.t += 3_600_000;
    await session.getToken();
    assert.deepEqual(stored, ['r1', 'r2']);
    const sent = server.requests
      .filter((r) => r.url === '/oauth2/token')
      .map((r) => new URLSearchParams(r.body).get('refresh_token'));
    assert.deepEqual(sent, ['r0', 'r1']);
    const stale = new OAuth2Session({
      system: 'concur',
      tokenUrl: `${server.origin}/oauth2/token`,
      clientId: 'cid',
      clientSecret: 'csecret',
      grant: { type: 'refresh_token', refreshToken: 'r0' },
    });
    await rejectsWith('LL_ERR_REMOTE_AUTH', stale.getToken());
  });
});
