/**
 * The transport of `via: agent:<name>` systems over the call queue in the store, with an in-process
 * stand-in for the agent (the queue's `take` and the real CallExecutor): a full exchange with the
 * agent's credentials, a disconnected agent, a call no agent took, a call whose agent session ended
 * (an unknown outcome, the HTTP client's timeout error), and the executor's refusals. Both stores.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { agentRelay, type AgentRelay } from '../../src/agent/relay/agent-relay.js';
import { agentTransport } from '../../src/agent/relay/agent-transport.js';
import type { AgentSettings } from '../../src/agent/runner/agent-config.js';
import { CallExecutor } from '../../src/agent/runner/call-executor.js';
import { isLedgerlinkError } from '../../src/canonical/errors.js';
import { connectorsFromConfig } from '../../src/composition/connectors-from-config.js';
import { resolveConfig } from '../../src/config/load-config.js';
import { EnvSecretResolver } from '../../src/security/secret-resolver.js';
import { directTransport } from '../../src/connectors/http/egress-policy.js';
import { HttpClient } from '../../src/connectors/http/http-client.js';
import { startTestServer, type LocalTestServer } from '../../src/connectors/http/local-test-server.js';
import { openTestStore, storeKinds, type TestStore } from '../helpers/stores.js';

function settingsFor(origin: string): AgentSettings {
  return {
    name: 'onprem',
    hub: new URL('https://hub.example'),
    token: 'unused',
    tls: {},
    concurrency: 4,
    pollWaitMs: 1_000,
    systems: {
      erp: { baseUrl: origin, auth: { kind: 'basic', user: { env: 'T_USER' }, password: { env: 'T_PASSWORD' } } },
    },
  };
}
const env = { T_USER: 'agent-user', T_PASSWORD: 'agent-secret' };

async function codeOf(promise: Promise<unknown>): Promise<{ code: string; message: string; details: unknown[] }> {
  try {
    await promise;
  } catch (error) {
    assert.ok(isLedgerlinkError(error), `coded: ${String(error)}`);
    return { code: error.code, message: error.message, details: [...error.details] };
  }
  assert.fail('expected a coded error');
}

for (const kind of storeKinds) {
  describe(`agent transport [${kind}]`, () => {
    let db: TestStore;
    let relay: AgentRelay;
    let erp: LocalTestServer;
    const client = (timeoutMs = 2_000): HttpClient =>
      new HttpClient({
        system: 'erp',
        baseUrl: erp.origin,
        timeoutMs,
        headers: { authorization: 'Basic aHViOmh1Yg==' },
        transport: agentTransport({
          agent: 'onprem',
          system: 'erp',
          timeoutMs,
          queue: relay.queue,
          sessions: relay.sessions,
        }),
      });
    /** The agent's part, in process: take the session's calls, make them, answer them. */
    const serveOnce = async (session: string): Promise<number> => {
      const executor = new CallExecutor(settingsFor(erp.origin), env);
      for (let i = 0; i < 200; i++) {
        const calls = await relay.queue.take('onprem', session, 10);
        if (calls.length > 0) {
          const answers = await Promise.all(calls.map((c) => executor.execute(c)));
          const accepted = await relay.queue.answer('onprem', session, answers);
          await relay.sessions.answered(
            'onprem',
            accepted.map((a) => a.roundTripMs),
          );
          return calls.length;
        }
        await new Promise((r) => setTimeout(r, 10));
      }
      return 0;
    };

    before(async () => {
      db = await openTestStore(kind, 'agent_transport');
      relay = agentRelay(db.store, ['onprem']);
      erp = await startTestServer((req, res) => {
        res.setHeader('set-cookie', ['SAP_SESSIONID=abc; Path=/', 'sap-usercontext=100; Path=/']);
        res.writeHead(req.url === '/missing' ? 404 : 201, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ path: req.url, authorization: req.headers.authorization ?? null }));
      });
    });
    after(async () => {
      relay.queue.close();
      await erp.close();
      await db.close();
    });

    test('an agent never seen: LL_ERR_REMOTE_TRANSIENT at once, nothing queued', async () => {
      const error = await codeOf(client().request({ method: 'POST', path: '/post', text: '{"a":1}' }));
      assert.equal(error.code, 'LL_ERR_REMOTE_TRANSIENT');
      assert.match(error.message, /agent onprem for erp is not connected \(never seen\)/);
      const rows = await db.store.db.selectFrom('agent_calls').selectAll().execute();
      assert.equal(rows.length, 0);
      assert.equal(erp.requests.length, 0);
    });

    test('through the agent: the answer as the ERP gave it, with the agent’s credentials, not the hub’s', async () => {
      await relay.sessions.seen('onprem', 'session-one', '1.0.0');
      const [response] = await Promise.all([
        client().request({ method: 'POST', path: '/post', text: '{"a":1}' }),
        serveOnce('session-one'),
      ]);
      assert.equal(response.status, 201);
      const body = response.json() as { path: string; authorization: string };
      assert.equal(body.path, '/post');
      assert.equal(body.authorization, `Basic ${Buffer.from('agent-user:agent-secret').toString('base64')}`);
      assert.deepEqual(response.headers.getSetCookie(), ['SAP_SESSIONID=abc; Path=/', 'sap-usercontext=100; Path=/']);
      assert.equal(erp.requests.at(-1)?.body, '{"a":1}');
      const left = await db.store.db.selectFrom('agent_calls').selectAll().execute();
      assert.equal(left.length, 0, 'the answered call is deleted');
      const health = await db.store.db.selectFrom('agents').selectAll().executeTakeFirstOrThrow();
      assert.equal(Number(health.calls_answered), 1);
    });

    test('a 404 from the ERP comes back as the client classifies it', async () => {
      const [error] = await Promise.all([codeOf(client().request({ path: '/missing' })), serveOnce('session-one')]);
      assert.equal(error.code, 'LL_ERR_REMOTE_REJECTED');
    });

    test('no agent takes the call before its deadline: transient, never sent', async () => {
      const before = erp.requests.length;
      const error = await codeOf(client(1_500).request({ method: 'POST', path: '/post', text: 'b' }));
      assert.equal(error.code, 'LL_ERR_REMOTE_TRANSIENT');
      assert.match(error.message, /did not take the call/);
      assert.equal(erp.requests.length, before);
      const rows = await db.store.db.selectFrom('agent_calls').selectAll().execute();
      assert.equal(rows.length, 0);
    });

    test('the agent process that held the call is replaced: an unknown outcome, as a timeout after send', async () => {
      const pending = codeOf(client(10_000).request({ method: 'POST', path: '/post', text: 'c' }));
      let taken = 0;
      for (let i = 0; i < 100 && taken === 0; i++) {
        taken = (await relay.queue.take('onprem', 'session-one', 10)).length;
        if (taken === 0) await new Promise((r) => setTimeout(r, 10));
      }
      assert.equal(taken, 1, 'the call was handed to the first session');
      const started = Date.now();
      await relay.sessions.seen('onprem', 'session-two', '1.0.1');
      const error = await pending;
      assert.ok(Date.now() - started < 2_000, 'settled when the new session came, not at the deadline');
      assert.equal(error.code, 'LL_ERR_REMOTE_TRANSIENT');
      assert.match(error.message, /did not answer within 10000 ms/);
      const lost = await relay.queue.answer('onprem', 'session-one', [{ id: 'late', status: 200 }]);
      assert.deepEqual(lost, [], 'a late answer of the old session is dropped');
      const health = await db.store.db.selectFrom('agents').selectAll().executeTakeFirstOrThrow();
      assert.equal(Number(health.calls_lost), 1);
      assert.equal(health.version, '1.0.1');
    });

    test('the agent’s poll closes: the agent counts as gone until it polls again', async () => {
      await relay.sessions.closed('onprem', 'session-two');
      const error = await codeOf(client().request({ path: '/post' }));
      assert.match(error.message, /not connected/);
      await relay.sessions.seen('onprem', 'session-two', '1.0.1');
      assert.equal((await relay.sessions.connection('onprem')).connected, true);
    });
  });
}

describe('agent call executor', () => {
  let erp: LocalTestServer;
  before(async () => {
    erp = await startTestServer((_req, res) => {
      res.writeHead(302, { location: '/elsewhere' });
      res.end();
    });
  });
  after(() => erp.close());
  const call = (over: Partial<Parameters<CallExecutor['execute']>[0]>) => ({
    id: 'agc_1',
    system: 'erp',
    method: 'GET',
    url: `${erp.origin}/x`,
    headers: [] as [string, string][],
    body: null,
    timeoutMs: 2_000,
    ...over,
  });

  test('refuses systems it does not know and origins other than the system’s', async () => {
    const executor = new CallExecutor(settingsFor(erp.origin), env);
    const unknown = await executor.execute(call({ system: 'payroll' }));
    assert.equal(unknown.failure?.kind, 'refused');
    const elsewhere = await executor.execute(call({ url: 'http://127.0.0.1:1/x' }));
    assert.equal(elsewhere.failure?.kind, 'refused');
    const metadata = await executor.execute(call({ url: 'http://169.254.169.254/latest' }));
    assert.equal(metadata.failure?.kind, 'refused');
    assert.equal(erp.requests.length, 0);
  });

  test('answers a redirect instead of following it', async () => {
    const answer = await new CallExecutor(settingsFor(erp.origin), env).execute(call({}));
    assert.equal(answer.status, 302);
    assert.deepEqual(
      answer.headers?.find(([name]) => name === 'location'),
      ['location', '/elsewhere'],
    );
  });

  test('nothing listening: not sent', async () => {
    const closed = await startTestServer(() => undefined);
    await closed.close();
    const settings = settingsFor(closed.origin);
    const answer = await new CallExecutor(settings, env).execute(call({ url: `${closed.origin}/x` }));
    assert.equal(answer.failure?.kind, 'not_sent', JSON.stringify(answer));
  });
});

describe("the hub's egress policy", () => {
  const config = (extra: Record<string, unknown>) =>
    resolveConfig(
      {
        systems: {
          erp: {
            kind: 'sap-s4hana',
            baseUrl: 'http://127.0.0.2:4101',
            credentials: { user: { env: 'U' }, password: { env: 'P' } },
            options: { circuitBreaker: false },
            ...extra,
          },
        },
        network: { refuseHosts: ['127.0.0.2'] },
      },
      'test',
      {},
    );
  const secrets = new EnvSecretResolver({ U: 'u', P: 'p' });

  test('a system behind a refused host is refused to the hub itself, before anything is sent', async () => {
    const { erp } = await connectorsFromConfig(config({}), secrets);
    assert.ok(erp !== undefined);
    const error = await codeOf(erp.port.vendorsChangedSince(null));
    assert.equal(error.code, 'LL_ERR_CONNECTOR_URL_REFUSED');
    assert.match(error.message, /egress policy refuses 127\.0\.0\.2/);
  });

  test('the same system via an agent is built without credentials; a bad entry is refused', async () => {
    const viaAgent = resolveConfig(
      { systems: { erp: { kind: 'sap-s4hana', baseUrl: 'http://127.0.0.2:4101', via: 'agent:onprem' } } },
      'test',
      {},
    );
    assert.deepEqual(Object.keys(viaAgent.agents), ['onprem'], 'the agent a system names is known');
    let asked = '';
    const built = await connectorsFromConfig(viaAgent, secrets, undefined, (agent) => {
      asked = agent;
      return () => Promise.reject(new Error('not in this test'));
    });
    assert.ok(built.erp !== undefined);
    assert.equal(asked, 'onprem');
    const badEntry = resolveConfig(
      {
        systems: {
          erp: { kind: 'sap-s4hana', baseUrl: 'http://x', credentials: { user: { env: 'U' }, password: { env: 'P' } } },
        },
        network: { refuseHosts: ['10.0.0.0/99'] },
      },
      'test',
      {},
    );
    assert.equal((await codeOf(connectorsFromConfig(badEntry, secrets))).code, 'LL_ERR_CONFIG_INVALID');
  });

  test('refuses listed hosts and blocks before anything is sent', async () => {
    const transport = directTransport('erp', ['127.0.0.2', '10.0.0.0/8', '*.corp.example']);
    for (const url of ['http://127.0.0.2:4000/x', 'http://10.1.2.3/x', 'https://s4.corp.example/x']) {
      const error = await codeOf(
        transport(new URL(url), {
          method: 'GET',
          headers: new Headers(),
          body: undefined,
          signal: AbortSignal.timeout(500),
        }),
      );
      assert.equal(error.code, 'LL_ERR_CONNECTOR_URL_REFUSED', url);
    }
  });
});
