/**
 * Scale-out roles on one database, both stores: an `api` process that only accepts and answers, and a
 * `worker` process with no HTTP that dispatches and runs. Readiness follows the store.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createApp } from '../../src/app.js';
import { resolveConfig } from '../../src/config/load-config.js';
import { createLogger } from '../../src/observability/logger.js';
import { TokenStore } from '../../src/security/api-tokens.js';
import { CountingSink } from '../helpers/counting-sink.js';
import { createTestDatabase, storeKinds } from '../helpers/stores.js';
import { waitFor } from '../helpers/wait.js';
import { errorCode, postEvent, request, startApp } from './app-fixture.js';

for (const kind of storeKinds) {
  describe(`roles [${kind}]`, () => {
    test('an api process accepts, a worker process without HTTP runs the flow', async () => {
      const database = await createTestDatabase(kind, 'api_roles');
      const sink = new CountingSink();
      const config = resolveConfig(
        { echo: { url: await sink.start() }, engine: { pollIntervalMs: 20, backoff: { baseMs: 10, capMs: 50 } } },
        'test',
        {},
      );
      const logger = createLogger({ level: 'silent' });
      const api = await createApp({ db: database.location, config, role: 'api', logger, runtimeMetrics: false });
      const worker = await createApp({ db: database.location, config, role: 'worker', logger, runtimeMetrics: false });
      try {
        assert.equal(worker.server, undefined);
        assert.deepEqual(await worker.start({ port: 0, host: '127.0.0.1' }), { url: undefined });
        const { url } = await api.start({ port: 0, host: '127.0.0.1' });
        assert.ok(url);
        const auth = {
          authorization: `Bearer ${(await new TokenStore(api.store).create({ name: 'roles-admin', roles: ['admin'] })).secret}`,
        };
        for (let i = 0; i < 5; i++)
          assert.equal((await postEvent(url, 'expense', `{"id":"R-${i}"}`, auth)).status, 202);
        await waitFor('five runs done by the worker process', async () => {
          const page = (await request(`${url}/v1/runs?status=succeeded`, { headers: auth })).json as {
            runs: unknown[];
          };
          return page.runs.length === 5;
        });
        assert.equal(sink.writes.length, 5);
        assert.equal(new Set(sink.writes.map((w) => w.reference)).size, 5);
      } finally {
        await api.stop();
        await worker.stop();
        await sink.stop();
        await database.drop();
      }
    });

    test('readiness is 503 LL_ERR_STORE_UNAVAILABLE when the store does not answer', async () => {
      const f = await startApp(kind, 'api_ready', { role: 'api' });
      try {
        assert.equal((await request(`${f.url}/readyz`)).status, 200);
        await f.app.store.close();
        const answer = await request(`${f.url}/readyz`);
        assert.equal(answer.status, 503);
        assert.equal(errorCode(answer), 'LL_ERR_STORE_UNAVAILABLE');
        assert.equal((await request(`${f.url}/healthz`)).status, 200, 'liveness does not depend on the store');
      } finally {
        await f.app.stop().catch(() => undefined);
        await f.database.drop();
      }
    });
  });
}
