/**
 * Ingest back-pressure on both stores: an `--role api` process (no worker drains the inbox) flooded
 * with signed webhook deliveries refuses new ones with 503 LL_ERR_INGEST_BACKLOG and Retry-After once
 * the backlog reaches `server.backpressure.maxBacklog`; every delivery answered 202 is stored; the
 * metrics say ingest is paused; once a worker drains the inbox, deliveries are accepted again.
 * The figures (accepted before the pause, how long the pause took to lift) are printed.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { generateWebhookSecret, signStandardWebhook } from '../../src/security/webhook-signatures.js';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/port.js';
import { storeKinds } from '../helpers/stores.js';
import { errorCode, postEvent, request, startApp, type Answer, type AppFixture } from './app-fixture.js';

const SECRET_ENV = 'LL_TEST_BACKPRESSURE_SECRET';
const MAX_BACKLOG = 30;
const RETRY_AFTER_SECONDS = 7;
const SENDERS = 8;

interface Accepted {
  readonly eventId: string;
  readonly duplicate: boolean;
}

for (const kind of storeKinds) {
  describe(`ingest back-pressure [${kind}]`, () => {
    let f: AppFixture;
    let reader: Store;
    const secret = generateWebhookSecret();

    before(async () => {
      process.env[SECRET_ENV] = secret;
      f = await startApp(kind, 'api_backpressure', {
        role: 'api',
        config: {
          systems: {
            erp: { kind: 'sap-s4hana' },
            expense: {
              kind: 'concur',
              webhook: { scheme: 'standard-webhooks', secrets: [{ env: SECRET_ENV }], replacesToken: true },
            },
          },
          server: {
            shutdownGraceMs: 2_000,
            backpressure: { maxBacklog: MAX_BACKLOG, retryAfterSeconds: RETRY_AFTER_SECONDS, refreshMs: 25 },
          },
        },
      });
      reader = await openStore(f.database.location);
    });
    after(async () => {
      await reader.close();
      await f.close();
      delete process.env[SECRET_ENV];
    });

    const deliver = (id: string): Promise<Answer> => {
      const body = JSON.stringify({ id, type: 'expense_report.approved', reportId: id });
      return postEvent(f.url, 'expense', body, signStandardWebhook({ id, rawBody: Buffer.from(body), secret }));
    };

    test('a flood is refused with 503 and Retry-After at the limit; every 202 is stored; draining resumes ingest', async () => {
      const accepted = new Map<string, string>();
      const refusals: Answer[] = [];
      const sender = async (n: number): Promise<void> => {
        for (let i = 0; i < 400; i++) {
          const id = `bp-${n}-${i}`;
          const answer = await deliver(id);
          if (answer.status === 202) accepted.set(id, (answer.json as Accepted).eventId);
          else {
            refusals.push(answer);
            return;
          }
        }
      };
      await Promise.all(Array.from({ length: SENDERS }, (_, n) => sender(n)));

      assert.equal(refusals.length, SENDERS, 'every sender met the limit');
      for (const answer of refusals) {
        assert.equal(answer.status, 503, answer.text);
        assert.equal(errorCode(answer), 'LL_ERR_INGEST_BACKLOG');
        assert.equal(answer.headers.get('retry-after'), String(RETRY_AFTER_SECONDS));
      }
      assert.ok(accepted.size >= MAX_BACKLOG, `${accepted.size} accepted before the pause`);
      console.log(
        `[${kind}] back-pressure: ${accepted.size} deliveries accepted before ingest paused at a limit of ${MAX_BACKLOG} (${SENDERS} concurrent senders)`,
      );

      const rows = await reader.db.selectFrom('inbox_events').select(['id', 'dedupe_key']).execute();
      const stored = new Map(rows.map((r) => [r.dedupe_key, r.id]));
      for (const [id, eventId] of accepted)
        assert.equal(stored.get(id), eventId, `${id} was answered 202 and is stored`);
      assert.equal(rows.length, accepted.size, 'nothing refused was stored');

      const metrics = await request(`${f.url}/metrics`);
      assert.match(metrics.text, /ledgerlink_ingest_paused 1/);
      assert.match(metrics.text, new RegExp(`ledgerlink_ingest_backlog_limit ${MAX_BACKLOG}`));
      assert.match(metrics.text, /ledgerlink_events_rejected_total\{system="expense",code="LL_ERR_INGEST_BACKLOG"\}/);

      // A redelivery of an accepted event waits like any other while paused, and is a duplicate after.
      const [firstId, firstEventId] = [...accepted][0]!;
      assert.equal((await deliver(firstId)).status, 503);

      // A worker turns the waiting events into runs (here: quarantined, no flow takes them): the backlog drains.
      const started = performance.now();
      await f.app.engine.startWorker({ dispatch: true });
      let resumed: Answer | undefined;
      for (let i = 0; i < 200 && resumed === undefined; i++) {
        const answer = await deliver(`bp-after-${i}`);
        if (answer.status === 202) resumed = answer;
        else await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await f.app.engine.stopWorker(1_000);
      assert.ok(resumed, 'deliveries are accepted again once the backlog drained');
      console.log(
        `[${kind}] back-pressure: ingest resumed ${Math.round(performance.now() - started)} ms after a worker started`,
      );
      const again = await deliver(firstId);
      assert.equal(again.status, 202);
      assert.equal((again.json as Accepted).eventId, firstEventId);
      assert.equal((again.json as Accepted).duplicate, true);
      assert.match((await request(`${f.url}/metrics`)).text, /ledgerlink_ingest_paused 0/);
    });
  });
}
