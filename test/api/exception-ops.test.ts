/**
 * Over real HTTP on both stores: 50 concurrent calls with one Idempotency-Key execute once; a reused
 * key with another body is refused. An auth failure pauses the connector: later failures on it wait
 * instead of burning attempts, retrying the pause's exception is refused, and resuming runs them.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { storeKinds } from '../helpers/stores.js';
import { waitFor } from '../helpers/wait.js';
import { errorCode, postEvent, request, startApp, type AppFixture } from './app-fixture.js';

interface Item {
  readonly id: string;
  readonly status: string;
  readonly class: string;
  readonly owner: string;
  readonly documentId: string | null;
}

for (const kind of storeKinds) {
  describe(`idempotency keys and connector pause [${kind}]`, () => {
    let f: AppFixture;
    let authFailing = false;
    const refused = new Set<string>();
    const get = async <T>(path: string): Promise<T> =>
      (await request(`${f.url}${path}`, { headers: f.auth })).json as T;
    const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
      request(`${f.url}${path}`, {
        method: 'POST',
        headers: { ...f.auth, 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });
    const exceptionOf = (documentId: string, status = 'open') =>
      waitFor(`an ${status} exception for ${documentId}`, async () =>
        (await get<{ exceptions: Item[] }>(`/v1/exceptions?status=${status}&limit=500`)).exceptions.find(
          (x) => x.documentId === documentId,
        ),
      );
    const runStatus = async (documentId: string) =>
      (await get<{ runs: { status: string }[] }>(`/v1/runs?documentId=${documentId}`)).runs[0]?.status;

    before(async () => {
      f = await startApp(kind, 'exception_ops', { echo: true });
      f.sink!.faultFor = (body) => {
        if (authFailing) return { kind: 'status', status: 401 };
        const id = /"id":"([^"]+)"/.exec(body)?.[1];
        return id !== undefined && refused.has(id) ? { kind: 'status', status: 422 } : undefined;
      };
    });
    after(async () => f.close());

    test('50 concurrent calls with one Idempotency-Key: one execution, the others 409 or the stored response; another body → 422', async () => {
      refused.add('IDEM-1');
      assert.equal((await postEvent(f.url, 'erp', '{"id":"IDEM-1"}', f.auth)).status, 202);
      const x = await exceptionOf('IDEM-1');
      const body = { reason: 'booked manually' };
      const answers = await Promise.all(
        Array.from({ length: 50 }, () =>
          post(`/v1/exceptions/${x.id}/resolve`, body, { 'idempotency-key': 'key-resolve-1' }),
        ),
      );
      const statuses = answers.map((a) => a.status);
      assert.ok(
        statuses.every((s) => s === 200 || s === 409),
        `statuses: ${statuses.join(',')}`,
      );
      for (const conflict of answers.filter((a) => a.status === 409))
        assert.equal(errorCode(conflict), 'LL_ERR_IDEMPOTENCY_IN_PROGRESS');
      const oks = answers.filter((a) => a.status === 200);
      assert.ok(oks.length >= 1);
      for (const ok of oks) assert.deepEqual(ok.json, oks[0]!.json, 'replays carry the stored response');
      const executions = await f.app.store.db
        .selectFrom('audit_log')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('action', '=', 'exception.resolve')
        .where('subject', '=', x.id)
        .executeTakeFirstOrThrow();
      assert.equal(Number(executions.n), 1, 'executed once');
      const replayed = await post(`/v1/exceptions/${x.id}/resolve`, body, { 'idempotency-key': 'key-resolve-1' });
      assert.equal(replayed.status, 200);
      assert.equal(replayed.headers.get('idempotency-replayed'), 'true');
      const mismatch = await post(
        `/v1/exceptions/${x.id}/resolve`,
        { reason: 'something else' },
        { 'idempotency-key': 'key-resolve-1' },
      );
      assert.equal(mismatch.status, 422);
      assert.equal(errorCode(mismatch), 'LL_ERR_IDEMPOTENCY_MISMATCH');
      // Without a key the call runs again, and the state table refuses it.
      const again = await post(`/v1/exceptions/${x.id}/resolve`, body);
      assert.equal(again.status, 409);
      assert.equal(errorCode(again), 'LL_ERR_ILLEGAL_TRANSITION');
    });

    test('an auth failure pauses the connector; the work waits without burning attempts until resumed', async () => {
      authFailing = true;
      assert.equal((await postEvent(f.url, 'erp', '{"id":"AUTH-1"}', f.auth)).status, 202);
      const pause = await exceptionOf('AUTH-1');
      assert.equal(pause.class, 'auth');
      assert.equal(pause.owner, 'integration-admin');
      const connectors = await get<{ connectors: { system: string; status: string; reason: string }[] }>(
        '/v1/connectors',
      );
      const echo = connectors.connectors.find((c) => c.system === 'echo');
      assert.equal(echo?.status, 'paused');
      assert.match(echo.reason, /LL_ERR_REMOTE_AUTH/);
      assert.ok(connectors.connectors.some((c) => c.system === 'erp' && c.status === 'active'));
      for (const id of ['AUTH-2', 'AUTH-3'])
        assert.equal((await postEvent(f.url, 'erp', JSON.stringify({ id }), f.auth)).status, 202);
      await waitFor('three parked jobs', async () => {
        const list = await get<{ connectors: { system: string; waitingJobs: number }[] }>('/v1/connectors');
        return list.connectors.find((c) => c.system === 'echo')?.waitingJobs === 3;
      });
      const open = await get<{ exceptions: Item[] }>('/v1/exceptions?class=auth&status=open');
      assert.equal(open.exceptions.length, 1, 'one exception for the pause, not one per document');
      const jobs = await f.app.store.db
        .selectFrom('jobs')
        .select(['attempts', 'waiting_on'])
        .where('waiting_on', '=', 'echo')
        .execute();
      assert.ok(
        jobs.every((j) => Number(j.attempts) === 0),
        'the attempts were given back',
      );
      const retry = await post(`/v1/exceptions/${pause.id}/retry`, {});
      assert.equal(retry.status, 409);
      assert.equal(errorCode(retry), 'LL_ERR_CONNECTOR_PAUSED');

      authFailing = false;
      const resumed = await post('/v1/connectors/echo/resume', { reason: 'credentials rotated' });
      assert.equal(resumed.status, 200, resumed.text);
      assert.deepEqual(resumed.json, { system: 'echo', resumed: true, releasedJobs: 3, resolvedExceptions: 1 });
      for (const id of ['AUTH-1', 'AUTH-2', 'AUTH-3'])
        await waitFor(`${id} posted`, async () => (await runStatus(id)) === 'succeeded');
      const closed = await get<{ status: string; history: { action: string }[] }>(`/v1/exceptions/${pause.id}`);
      assert.equal(closed.status, 'resolved');
      const again = await post('/v1/connectors/echo/resume', {});
      assert.equal((again.json as { resumed: boolean }).resumed, false);
    });
  });
}
