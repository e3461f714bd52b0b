import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { LedgerlinkError } from '../../canonical/errors.js';
import { JsonNumber, ownValue, type JsonObject } from '../../canonical/strict-json.js';
import { CircuitBreaker } from './circuit-breaker.js';
import { HttpClient } from './http-client.js';
import type { ExchangeRecord } from './http-types.js';
import { rejectsWith, sendJson, startTestServer, type LocalTestServer } from './local-test-server.js';

describe('HttpClient against a real local server', () => {
  let server: LocalTestServer;
  let client: HttpClient;
  const exchanges: ExchangeRecord[] = [];

  before(async () => {
    server = await startTestServer(async (req, res, body) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const route = url.pathname.replace(/^\/svc/, '');
      switch (route) {
        case '/ok':
          return sendJson(res, 200, { amount: 0.1, echo: body, query: url.search });
        case '/raw':
          res.writeHead(200, { 'content-type': 'application/json' });
          return void res.end('{"amount": 12345678901234567890.01}');
        case '/not-json':
          res.writeHead(200);
          return void res.end('<html>maintenance</html>');
        case '/status': {
          const status = Number(url.searchParams.get('code'));
          const headers: Record<string, string> = {};
          const retryAfter = url.searchParams.get('retryAfter');
          if (retryAfter !== null) headers['retry-after'] = retryAfter;
          return sendJson(res, status, { error: { message: `status ${status}` }, client_secret: 'hunter2' }, headers);
        }
        case '/hang':
          return; // never answers
        case '/reset':
          return void req.socket.destroy();
        case '/redirect':
          res.writeHead(Number(url.searchParams.get('code') ?? 302), {
            location: url.searchParams.get('to') ?? '/svc/ok',
          });
          return void res.end();
        case '/loop':
          res.writeHead(302, { location: '/svc/loop' });
          return void res.end();
        case '/sap-fail':
          return sendJson(res, 200, { AccountingDocument: '0000000000' });
        default:
          return sendJson(res, 404, { error: 'no route' });
      }
    });
    client = new HttpClient({
      system: 'test',
      baseUrl: `${server.origin}/svc/?sap-client=100`,
      headers: { accept: 'application/json' },
      timeoutMs: 2_000,
      onExchange: (record) => exchanges.push(record),
    });
  });
  after(() => server.close());

  test('sends JSON, keeps the base query, sends a valid traceparent, parses numbers exactly', async () => {
    const response = await client.request({
      method: 'POST',
      path: 'ok',
      query: { top: 2 },
      json: { n: new JsonNumber('1.10') },
    });
    const sent = server.requests.at(-1)!;
    assert.equal(sent.method, 'POST');
    assert.equal(sent.headers['content-type'], 'application/json');
    assert.equal(sent.headers.accept, 'application/json');
    assert.match(String(sent.headers.traceparent), /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    assert.equal(response.traceparent, sent.headers.traceparent);
    const body = response.json() as JsonObject;
    assert.equal(ownValue(body, 'echo'), '{"n":1.10}');
    assert.equal(ownValue(body, 'query'), '?sap-client=100&top=2');
    const raw = (await client.request({ path: '/raw' })).json() as JsonObject;
    assert.equal(String(ownValue(raw, 'amount')), '12345678901234567890.01');
  });

  test('joins the caller trace: a traceparent is passed on, a trace id starts a span in that trace', async () => {
    const given = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    await client.request({ path: 'ok', trace: { traceparent: given } });
    assert.equal(server.requests.at(-1)!.headers.traceparent, given);
    await client.request({ path: 'ok', trace: { traceId: '4BF92F35-77B3-4DA6-A3CE-929D0E0E4736' } });
    assert.match(
      String(server.requests.at(-1)!.headers.traceparent),
      /^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$/,
    );
  });

  test('5xx, 408 and 429 are transient; Retry-After in seconds and as a date becomes retryAfterMs', async () => {
    const e503 = await rejectsWith('LL_ERR_REMOTE_TRANSIENT', client.request({ path: 'status', query: { code: 503 } }));
    assert.equal(e503.retryAfterMs, undefined);
    await rejectsWith('LL_ERR_REMOTE_TRANSIENT', client.request({ path: 'status', query: { code: 408 } }));
    const seconds = await rejectsWith(
      'LL_ERR_REMOTE_TRANSIENT',
      client.request({ path: 'status', query: { code: 429, retryAfter: '7' } }),
    );
    assert.equal(seconds.retryAfterMs, 7_000);
    const at = new Date(Date.now() + 120_000).toUTCString();
    const dated = await rejectsWith(
      'LL_ERR_REMOTE_TRANSIENT',
      client.request({ path: 'status', query: { code: 429, retryAfter: at } }),
    );
    assert.ok(
      dated.retryAfterMs !== undefined && dated.retryAfterMs > 100_000 && dated.retryAfterMs <= 120_000,
      String(dated.retryAfterMs),
    );
    const e503r = await rejectsWith(
      'LL_ERR_REMOTE_TRANSIENT',
      client.request({ path: 'status', query: { code: 503, retryAfter: '30' } }),
    );
    assert.equal(e503r.retryAfterMs, 30_000);
  });

  test('401 and 403 are auth; 404 and 422 are rejections with the vendor body excerpt, redacted', async () => {
    await rejectsWith('LL_ERR_REMOTE_AUTH', client.request({ path: 'status', query: { code: 401 } }));
    await rejectsWith('LL_ERR_REMOTE_AUTH', client.request({ path: 'status', query: { code: 403 } }));
    await rejectsWith('LL_ERR_REMOTE_REJECTED', client.request({ path: 'status', query: { code: 404 } }));
    const e422 = await rejectsWith(
      'LL_ERR_REMOTE_REJECTED',
      client.request({ method: 'POST', path: 'status', query: { code: 422 }, json: {} }),
    );
    const detail = e422.details[0]!;
    assert.equal(detail.status, 422);
    assert.equal(detail.method, 'POST');
    assert.match(detail.message, /status 422/);
    assert.doesNotMatch(detail.message, /hunter2/);
    assert.match(detail.message, /"client_secret":"\[REDACTED\]"/);
  });

  test('a status listed in accept is an answer, not a failure', async () => {
    const response = await client.request({ path: 'status', query: { code: 404 }, accept: [404] });
    assert.equal(response.status, 404);
  });

  test('a timeout is transient and says so; a caller abort is passed on unclassified', async () => {
    const timedOut = await rejectsWith('LL_ERR_REMOTE_TRANSIENT', client.request({ path: 'hang', timeoutMs: 150 }));
    assert.match(timedOut.message, /did not answer within 150 ms/);
    const controller = new AbortController();
    const pending = client.request({ path: 'hang', signal: controller.signal });
    setTimeout(() => controller.abort(new Error('caller gave up')), 50);
    await assert.rejects(
      pending,
      (error: unknown) => !(error instanceof LedgerlinkError) && (error as Error).message === 'caller gave up',
    );
  });

  test('a connection reset and a refused connection are transient with the socket code', async () => {
    const reset = await rejectsWith('LL_ERR_REMOTE_TRANSIENT', client.request({ path: 'reset' }));
    assert.match(reset.message, /could not be reached/);
    assert.ok(typeof reset.details[0]?.errorCode === 'string', JSON.stringify(reset.details));
    const closed = await startTestServer(() => undefined);
    await closed.close();
    const refusedClient = new HttpClient({ system: 'gone', baseUrl: closed.origin });
    const refused = await rejectsWith('LL_ERR_REMOTE_TRANSIENT', refusedClient.request({ path: 'x' }));
    assert.equal(refused.details[0]?.errorCode, 'ECONNREFUSED');
  });

  test('an answer that is not JSON is transient when read as JSON', async () => {
    const response = await client.request({ path: 'not-json' });
    assert.throws(
      () => response.json(),
      (e: unknown) => e instanceof LedgerlinkError && e.code === 'LL_ERR_REMOTE_TRANSIENT',
    );
  });

  test('redirects: same loopback origin followed, 303 after POST becomes GET, plain http elsewhere refused', async () => {
    const followed = await client.request({ path: 'redirect', query: { to: '/svc/ok?x=1' } });
    assert.equal(followed.status, 200);
    assert.equal(followed.url, `${server.origin}/svc/ok?x=1`);
    const before303 = server.requests.length;
    await client.request({ method: 'POST', path: 'redirect', query: { code: 303, to: '/svc/ok' }, json: { a: 'b' } });
    assert.equal(server.requests[before303 + 1]?.method, 'GET');
    assert.equal(server.requests[before303 + 1]?.body, '');
    const count = server.requests.length;
    const toHttp = await rejectsWith(
      'LL_ERR_CONNECTOR_URL_REFUSED',
      client.request({ path: 'redirect', query: { to: 'http://example.com/steal' } }),
    );
    assert.match(toHttp.message, /plain http/);
    await rejectsWith(
      'LL_ERR_CONNECTOR_URL_REFUSED',
      client.request({ path: 'redirect', query: { to: 'https://169.254.169.254/latest/meta-data' } }),
    );
    await rejectsWith(
      'LL_ERR_CONNECTOR_URL_REFUSED',
      client.request({ path: 'redirect', query: { to: 'http://localhost:1/other-origin' } }),
    );
    assert.equal(server.requests.length, count + 3, 'only the redirecting requests reached a server');
    const loop = await rejectsWith('LL_ERR_CONNECTOR_URL_REFUSED', client.request({ path: 'loop' }));
    assert.match(loop.message, /more than 5 redirects/);
  });

  test('absolute request URLs must stay on the base origin', async () => {
    await client.request({ path: `${server.origin}/svc/ok` });
    await rejectsWith('LL_ERR_CONNECTOR_URL_REFUSED', client.request({ path: 'https://evil.example/svc/ok' }));
  });

  test('the connector classify hook maps vendor specifics, before the default', async () => {
    const sapClient = new HttpClient({
      system: 'sap',
      baseUrl: `${server.origin}/svc`,
      classify: (response, body) => {
        if (response.status === 200 && body.includes('"0000000000"')) {
          return new LedgerlinkError('LL_ERR_REMOTE_REJECTED', 'journal entry refused in the log');
        }
        if (response.status === 503) return 'ok';
        return undefined;
      },
    });
    await rejectsWith('LL_ERR_REMOTE_REJECTED', sapClient.request({ path: 'sap-fail' }));
    assert.equal((await sapClient.request({ path: 'status', query: { code: 503 } })).status, 503);
    assert.equal((await sapClient.request({ path: 'ok' })).status, 200);
  });

  test('exchanges are reported with credentials redacted', async () => {
    const secretClient = new HttpClient({
      system: 'test',
      baseUrl: server.origin,
      headers: { authorization: 'Bearer sekrit-token' },
      onExchange: (record) => exchanges.push(record),
    });
    await secretClient.request({ path: 'svc/ok', query: { access_token: 'in-query' } });
    const last = exchanges.at(-1)!;
    assert.equal(last.requestHeaders.authorization, '[REDACTED]');
    assert.equal(last.status, 200);
    assert.doesNotMatch(last.url, /in-query/);
    assert.doesNotMatch(JSON.stringify(last), /sekrit/);
  });

  test('with a circuit breaker, consecutive 503s open the circuit and later calls do not reach the server', async () => {
    const breaker = new CircuitBreaker({ system: 'test', failureThreshold: 3, openMs: 60_000 });
    const guarded = new HttpClient({ system: 'test', baseUrl: `${server.origin}/svc`, circuitBreaker: breaker });
    for (let i = 0; i < 3; i++)
      await rejectsWith('LL_ERR_REMOTE_TRANSIENT', guarded.request({ path: 'status', query: { code: 503 } }));
    assert.equal(breaker.state, 'open');
    const count = server.requests.length;
    const refused = await rejectsWith('LL_ERR_REMOTE_TRANSIENT', guarded.request({ path: 'ok' }));
    assert.ok(CircuitBreaker.isRefusal(refused));
    assert.ok(refused.retryAfterMs !== undefined && refused.retryAfterMs > 50_000);
    assert.equal(server.requests.length, count);
  });

  test('base URLs are guarded at construction', () => {
    assert.throws(() => new HttpClient({ system: 'x', baseUrl: 'ftp://127.0.0.1/' }), /LL_ERR|refused/);
    assert.throws(
      () => new HttpClient({ system: 'x', baseUrl: 'http://sap.example.com/' }),
      (e: unknown) => e instanceof LedgerlinkError && e.code === 'LL_ERR_CONNECTOR_URL_REFUSED',
    );
    assert.ok(new HttpClient({ system: 'x', baseUrl: 'http://sap.example.com/', allowInsecureHttp: true }));
  });
});
