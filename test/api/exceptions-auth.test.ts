/**
 * Roles on the exception routes (reliability catalogue, security): an auditor reads the queue but
 * cannot retry, replay, resolve, ignore, act in bulk or resume a connector (403), and nothing changes.
 * It relies on the authentication hook that enforces `config.action` on every route.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { storeKinds } from '../helpers/stores.js';
import { waitFor } from '../helpers/wait.js';
import { errorCode, postEvent, request, startApp, type AppFixture } from './app-fixture.js';

for (const kind of storeKinds) {
  describe(`exception actions by role [${kind}]`, () => {
    let f: AppFixture;
    let auditor: Record<string, string>;
    let exceptionId: string;
    before(async () => {
      f = await startApp(kind, 'exceptions_auth', { echo: true });
      f.sink!.faultFor = () => ({ kind: 'status', status: 422 });
      auditor = { authorization: `Bearer ${await f.tokenFor(['auditor'], 'auditor-1')}` };
      assert.equal((await postEvent(f.url, 'erp', '{"id":"ROLE-1"}', f.auth)).status, 202);
      exceptionId = await waitFor('an exception', async () => {
        const page = (await request(`${f.url}/v1/exceptions?status=open`, { headers: f.auth })).json as {
          exceptions: { id: string }[];
        };
        return page.exceptions[0]?.id;
      });
    });
    after(async () => f.close());

    test('an auditor reads the queue but every action answers 403 and changes nothing', async () => {
      const read = await request(`${f.url}/v1/exceptions`, { headers: auditor });
      assert.equal(read.status, 200);
      const actions: [string, unknown][] = [
        [`/v1/exceptions/${exceptionId}/retry`, {}],
        [`/v1/exceptions/${exceptionId}/replay`, { from: 'start' }],
        [`/v1/exceptions/${exceptionId}/resolve`, { reason: 'no' }],
        [`/v1/exceptions/${exceptionId}/ignore`, { reason: 'no' }],
        ['/v1/exceptions/bulk', { action: 'resolve', filter: { status: 'open' }, reason: 'no' }],
        ['/v1/connectors/echo/resume', {}],
      ];
      for (const [path, body] of actions) {
        const answer = await request(`${f.url}${path}`, {
          method: 'POST',
          headers: { ...auditor, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        assert.equal(answer.status, 403, `${path}: ${answer.text}`);
        assert.equal(errorCode(answer), 'LL_ERR_FORBIDDEN');
      }
      const detail = (await request(`${f.url}/v1/exceptions/${exceptionId}`, { headers: f.auth })).json as {
        status: string;
        history: unknown[];
      };
      assert.equal(detail.status, 'open');
      assert.deepEqual(detail.history, []);
    });
  });
}
