/**
 * The app wires encryption at rest from its configuration, on both stores: with a key file the stored
 * payload and run input are envelopes and the API answers with the plaintext; with
 * `encryptPayloads: false` they are stored in clear (masked), and envelopes written before still open.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createApp } from '../../src/app.js';
import { resolveConfig } from '../../src/config/load-config.js';
import { createLogger } from '../../src/observability/logger.js';
import { postEvent, request, startApp, type AppFixture } from '../api/app-fixture.js';
import { storeKinds } from '../helpers/stores.js';
import { waitFor } from '../helpers/wait.js';

const body = '{"id":"INV-77","amount":1234.50,"memo":"card 4111111111111111"}';

for (const kind of storeKinds) {
  describe(`encryption at rest through the app [${kind}]`, () => {
    let dir: string;
    let keyFile: string;
    let f: AppFixture;

    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'll-app-keys-'));
      keyFile = join(dir, 'keys.json');
      writeFileSync(keyFile, JSON.stringify({ keys: [{ id: 'k2026', key: randomBytes(32).toString('base64') }] }), {
        mode: 0o600,
      });
      f = await startApp(kind, 'app_encryption', { echo: true, config: { security: { masterKeyFile: keyFile } } });
    });
    after(async () => {
      await f.close();
      rmSync(dir, { recursive: true, force: true });
    });

    test('stored payloads are envelopes; the API answers with the masked plaintext, numbers exact', async () => {
      assert.equal((await postEvent(f.url, 'erp', body, f.auth)).status, 202);
      const runId = await waitFor('the run to succeed', async () => {
        const page = (await request(`${f.url}/v1/runs?status=succeeded`, { headers: f.auth })).json as {
          runs: { id: string }[];
        };
        return page.runs[0]?.id;
      });
      const event = await f.app.store.db
        .selectFrom('inbox_events')
        .select(['payload', 'headers'])
        .executeTakeFirstOrThrow();
      assert.match(event.payload, /^lle1:k2026:/);
      assert.match(event.headers, /^lle1:k2026:/);
      const run = await f.app.store.db.selectFrom('runs').select(['input', 'state']).executeTakeFirstOrThrow();
      assert.match(run.input, /^lle1:k2026:/);
      assert.match(run.state, /^lle1:k2026:/);
      const answer = await request(`${f.url}/v1/runs/${runId}`, { headers: f.auth });
      assert.equal(answer.status, 200);
      assert.ok(
        answer.text.includes('"input":{"id":"INV-77","amount":1234.50,"memo":"card 411111******1111"}'),
        answer.text,
      );
      assert.equal(f.sink?.writes.length, 1);
      assert.ok(f.sink?.writes[0]?.body.includes('"amount":1234.50'), 'the flow sees the exact payload');
    });

    test('with encryptPayloads: false new rows are stored in clear and old envelopes still open', async () => {
      await f.app.stop();
      const config = resolveConfig({ security: { masterKeyFile: keyFile, encryptPayloads: false } }, 'test', {});
      const app = await createApp({
        db: f.database.location,
        config,
        logger: createLogger({ level: 'silent' }),
        runtimeMetrics: false,
        env: {},
      });
      try {
        const { url } = await app.start({ port: 0, host: '127.0.0.1' });
        assert.equal((await postEvent(url!, 'erp', '{"id":"INV-78"}', f.auth)).status, 202);
        const rows = await app.store.db.selectFrom('inbox_events').select(['payload']).orderBy('received_at').execute();
        assert.equal(rows.length, 2);
        assert.match(rows[0]!.payload, /^lle1:/);
        assert.equal(rows[1]!.payload, '{"id":"INV-78"}');
        const runs = await app.engine.listRuns({});
        const old = await app.engine.getRun(runs.runs.find((r) => r.documentId === 'INV-77')!.id);
        assert.equal(old?.input, '{"id":"INV-77","amount":1234.50,"memo":"card 411111******1111"}');
      } finally {
        await app.stop();
      }
    });
  });
}
