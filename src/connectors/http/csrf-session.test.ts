import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { basicAuth, basicAuthorization } from './basic-auth.js';
import { CsrfSession } from './csrf-session.js';
import { HttpClient } from './http-client.js';
import { rejectsWith, sendJson, startTestServer, type LocalTestServer } from './local-test-server.js';

/** An SAP-like service: Basic auth, CSRF token bound to a session cookie, tokens `tok1`, `tok2`, …. */
describe('CsrfSession against an SAP-like server', () => {
  let server: LocalTestServer;
  let sessions = new Map<string, string>(); // session id -> token
  let issued = 0;
  let alwaysRequired = false;
  const auth = basicAuthorization('COMM_USER', 'pw');

  before(async () => {
    server = await startTestServer((req, res) => {
      if (req.headers.authorization !== auth) return sendJson(res, 401, { error: 'unauthorized' });
      const session = /SAP_SESSIONID=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
      if (req.method === 'GET' || req.method === 'HEAD') {
        if (req.headers['x-csrf-token'] === 'Fetch') {
          issued++;
          const id = `s${issued}`;
          sessions.set(id, `tok${issued}`);
          res.writeHead(200, {
            'x-csrf-token': `tok${issued}`,
            'set-cookie': [`SAP_SESSIONID=${id}; path=/; HttpOnly`, 'sap-usercontext=sap-client=100; path=/'],
          });
          return void res.end();
        }
        return sendJson(res, 200, { d: { results: [] } });
      }
      const token = req.headers['x-csrf-token'];
      if (alwaysRequired || session === undefined || sessions.get(session) !== token) {
        res.writeHead(403, { 'x-csrf-token': 'Required' });
        return void res.end('CSRF token validation failed');
      }
      return sendJson(res, 201, { d: { BusinessPartner: '1000001' } });
    });
  });
  after(() => server.close());
  beforeEach(() => {
    server.requests.length = 0;
    sessions = new Map();
    alwaysRequired = false;
  });

  const client = (csrf: CsrfSession): HttpClient =>
    new HttpClient({
      system: 'sap',
      baseUrl: `${server.origin}/sap/opu/odata/sap/API_BUSINESS_PARTNER/`,
      auth: [basicAuth('COMM_USER', 'pw'), csrf],
    });

  test('a write fetches the token with Basic auth, then sends token and session cookies', async () => {
    const csrf = new CsrfSession({ system: 'sap' });
    const sap = client(csrf);
    const created = await sap.request({
      method: 'POST',
      path: 'A_BusinessPartner',
      json: { BusinessPartnerCategory: '2' },
    });
    assert.equal(created.status, 201);
    const [fetch, post] = server.requests;
    assert.equal(fetch?.method, 'GET');
    assert.equal(fetch?.url, '/sap/opu/odata/sap/API_BUSINESS_PARTNER/');
    assert.equal(fetch?.headers['x-csrf-token'], 'Fetch');
    assert.equal(fetch?.headers.authorization, auth);
    assert.equal(post?.headers['x-csrf-token'], csrf.token);
    assert.match(String(post?.headers.cookie), /SAP_SESSIONID=s\d+/);
    assert.match(String(post?.headers.cookie), /sap-usercontext=sap-client=100/);
    await sap.request({ method: 'POST', path: 'A_BusinessPartner', json: {} });
    assert.equal(csrf.fetchCount, 1, 'the token is reused');
  });

  test('reads need no token', async () => {
    const csrf = new CsrfSession({ system: 'sap' });
    await client(csrf).request({ path: 'A_BusinessPartner' });
    assert.equal(csrf.fetchCount, 0);
    assert.equal(server.requests[0]?.headers['x-csrf-token'], undefined);
  });

  test('concurrent writes share one token fetch', async () => {
    const csrf = new CsrfSession({ system: 'sap', fetchMethod: 'HEAD' });
    const sap = client(csrf);
    await Promise.all(
      Array.from({ length: 5 }, () => sap.request({ method: 'POST', path: 'A_BusinessPartner', json: {} })),
    );
    assert.equal(csrf.fetchCount, 1);
    assert.equal(server.requests.filter((r) => r.method === 'HEAD').length, 1);
  });

  test('403 X-CSRF-Token: Required (session expired) refetches once and the write goes through', async () => {
    const csrf = new CsrfSession({ system: 'sap' });
    const sap = client(csrf);
    await sap.request({ method: 'POST', path: 'A_BusinessPartner', json: {} });
    sessions.clear(); // the server forgot the session
    const created = await sap.request({ method: 'PATCH', path: "A_BusinessPartner('1')", json: {} });
    assert.equal(created.status, 201);
    assert.equal(csrf.fetchCount, 2);
    const patches = server.requests.filter((r) => r.method === 'PATCH');
    assert.equal(patches.length, 2);
    assert.notEqual(patches[0]?.headers['x-csrf-token'], patches[1]?.headers['x-csrf-token']);
  });

  test('Required again after the refetch is transient, not auth; only one retry', async () => {
    alwaysRequired = true;
    const csrf = new CsrfSession({ system: 'sap' });
    const error = await rejectsWith(
      'LL_ERR_REMOTE_TRANSIENT',
      client(csrf).request({ method: 'POST', path: 'A_BusinessPartner', json: {} }),
    );
    assert.match(error.message, /CSRF/);
    assert.equal(server.requests.filter((r) => r.method === 'POST').length, 2);
  });

  test('a wrong password fails the token fetch as auth', async () => {
    const csrf = new CsrfSession({ system: 'sap' });
    const sap = new HttpClient({ system: 'sap', baseUrl: server.origin, auth: [basicAuth('COMM_USER', 'bad'), csrf] });
    await rejectsWith('LL_ERR_REMOTE_AUTH', sap.request({ method: 'POST', path: 'x', json: {} }));
  });

  test('basic auth header', () => {
    assert.equal(basicAuthorization('Aladdin', 'open sesame'), 'Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==');
    assert.equal(basicAuthorization('ü', 'ß'), `Basic ${Buffer.from('ü:ß').toString('base64')}`);
    assert.throws(() => basicAuthorization('a:b', 'c'), RangeError);
  });
});
