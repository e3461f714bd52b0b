/**
 * Who may open an agent's channel: only the token of that agent (role `agent:<name>`). No token, an
 * unknown token, another agent's token and even an admin token are refused; an agent's token may do
 * nothing else in the API; an agent the configuration does not know is LL_ERR_AGENT_UNKNOWN.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { authorize, isRole, parseRole } from '../../src/security/access-roles.js';
import { generateToken } from '../../src/security/api-tokens.js';
import { startApp, type AppFixture } from '../api/app-fixture.js';
import { storeKinds } from '../helpers/stores.js';

describe('agent roles (pure)', () => {
  test('agent:<name> is a role; it allows agents:connect:<name> and nothing else', () => {
    assert.ok(isRole('agent:onprem'));
    assert.equal(parseRole('agent:onprem'), 'agent:onprem');
    assert.ok(authorize(['agent:onprem'], 'agents:connect:onprem'));
    assert.ok(!authorize(['agent:onprem'], 'agents:connect:other'));
    for (const action of ['runs:read', 'kpis:read', 'events:post:erp', 'coding:validate', 'tokens:manage'])
      assert.ok(!authorize(['agent:onprem'], action), action);
  });

  test('no other role opens an agent channel, admin included', () => {
    for (const role of ['admin', 'operator', 'service:erp', 'agent:other'])
      assert.ok(!authorize([role], 'agents:connect:onprem'), role);
    assert.throws(() => parseRole('agent:Bad Name'), { code: 'LL_ERR_BAD_REQUEST' });
  });
});

for (const kind of storeKinds) {
  describe(`agent channel access [${kind}]`, () => {
    let fixture: AppFixture;
    let agentToken: string;
    before(async () => {
      fixture = await startApp(kind, 'agent_access', { config: { agents: { onprem: {}, other: {} } } });
      agentToken = await fixture.tokenFor(['agent:onprem'], 'agent onprem');
    });
    after(() => fixture.close());

    const poll = (agent: string, token: string | undefined): Promise<Response> =>
      fetch(`${fixture.url}/v1/agents/${agent}/poll`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
        },
        body: JSON.stringify({ session: 'session-0001', version: 'test', waitMs: 0 }),
      });
    const code = async (response: Response): Promise<string> =>
      ((await response.json()) as { error: { code: string } }).error.code;

    test("the agent's own token polls", async () => {
      const response = await poll('onprem', agentToken);
      assert.equal(response.status, 200);
      assert.deepEqual(await response.json(), { calls: [] });
    });

    test('no token, or a token the hub never issued: 401', async () => {
      for (const token of [undefined, generateToken()]) {
        const response = await poll('onprem', token);
        assert.equal(response.status, 401);
        assert.equal(await code(response), 'LL_ERR_UNAUTHENTICATED');
      }
    });

    test("another agent's token, and an admin token: 403", async () => {
      const other = await fixture.tokenFor(['agent:other'], 'agent other');
      for (const token of [other, fixture.adminToken]) {
        const response = await poll('onprem', token);
        assert.equal(response.status, 403);
        assert.equal(await code(response), 'LL_ERR_FORBIDDEN');
      }
      const answers = await fetch(`${fixture.url}/v1/agents/onprem/answers`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${other}` },
        body: JSON.stringify({ session: 'session-0001', answers: [] }),
      });
      assert.equal(answers.status, 403);
    });

    test("an agent's token can call no other API", async () => {
      const headers = { authorization: `Bearer ${agentToken}` };
      for (const path of ['/v1/runs', '/v1/kpis', '/v1/exceptions', '/v1/audit']) {
        const response = await fetch(`${fixture.url}${path}`, { headers });
        assert.equal(response.status, 403, path);
      }
      const event = await fetch(`${fixture.url}/v1/events/erp`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: '{}',
      });
      assert.equal(event.status, 403);
    });

    test('an agent the configuration does not know: 404 LL_ERR_AGENT_UNKNOWN', async () => {
      const ghost = await fixture.tokenFor(['agent:ghost'], 'agent ghost');
      const response = await poll('ghost', ghost);
      assert.equal(response.status, 404);
      assert.equal(await code(response), 'LL_ERR_AGENT_UNKNOWN');
    });
  });
}
