/**
 * Alert webhooks on both stores with a local receiver and an injected clock: one signed alert per new
 * exception (verified with verifyStandardWebhook), none repeated after a restart, SLA breach alerts,
 * the close window tightening an SLA, a receiver failing twice then succeeding (delivered once after
 * three attempts, one webhook-id); and the worker delivering alerts in a running app (GET /v1/alerts).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { alertDispatcherFromConfig } from '../../src/composition/alerts-from-config.js';
import { resolveConfig, type LedgerlinkConfig } from '../../src/config/load-config.js';
import type { AlertDispatcher } from '../../src/insights/alerts/alert-dispatcher.js';
import { EnvSecretResolver } from '../../src/security/secret-resolver.js';
import { generateWebhookSecret, verifyStandardWebhook } from '../../src/security/webhook-signatures.js';
import { request, startApp } from '../api/app-fixture.js';
import { openTestStore, storeKinds, type TestStore } from '../helpers/stores.js';
import { waitFor } from '../helpers/wait.js';
import { AlertReceiver } from './alert-receiver.js';
import { insertException } from './insight-rows.js';

const MIN = 60_000;
const FIN_SECRET = generateWebhookSecret();
const OPS_SECRET = generateWebhookSecret();
const env = { ALERT_FIN: FIN_SECRET, ALERT_OPS: OPS_SECRET };

function alertConfig(base: string): LedgerlinkConfig {
  return resolveConfig(
    {
      engine: { backoff: { baseMs: 1, capMs: 5 }, maxAttempts: 5 },
      processes: { 'expense-posting': { slaMinutes: { validation: 60 } } },
      alerts: {
        routes: [
          { owner: 'finance-ops', url: `${base}/finance`, secret: { env: 'ALERT_FIN' }, classes: ['validation'] },
          { owner: 'integration-ops', url: `${base}/ops`, secret: { env: 'ALERT_OPS' } },
        ],
        closeWindow: { daysBeforeMonthEnd: 3, daysAfterMonthEnd: 2 },
      },
    },
    'test',
    {},
  );
}

for (const kind of storeKinds) {
  describe(`alerts [${kind}]`, () => {
    let t: TestStore;
    const receiver = new AlertReceiver();
    let config: LedgerlinkConfig;
    let now = Date.UTC(2025, 2, 10, 12);
    const dispatcher = (): AlertDispatcher =>
      alertDispatcherFromConfig({ store: t.store, config, secrets: new EnvSecretResolver(env), now: () => now });
    const alertsFor = (path: string, exceptionId: string, type?: string) =>
      receiver
        .at(path)
        .filter((r) => r.body.data.exceptionId === exceptionId && (type === undefined || r.body.type === type));
    /** Cycles until nothing is due; the clock moves past any backoff between cycles. */
    const drain = async (d: AlertDispatcher) => {
      for (let i = 0; i < 10; i++) {
        await d.runOnce();
        now += 1_000;
      }
    };

    before(async () => {
      t = await openTestStore(kind, 'alerts');
      config = alertConfig(await receiver.start());
    });
    after(async () => {
      await receiver.stop();
      await t.close();
    });

    test('one signed alert per new exception of the route classes; a restart repeats none', async () => {
      const first = await insertException(t.store, {
        class: 'validation',
        owner: 'finance-ops',
        process: 'expense-posting',
        createdAt: now - MIN,
        message: 'card 4111111111111111 on a memo',
      });
      const other = await insertException(t.store, {
        class: 'mapping',
        owner: 'finance-ops',
        process: 'expense-posting',
        createdAt: now - MIN,
      });
      await drain(dispatcher());
      const [alert] = alertsFor('/finance', first);
      assert.equal(alertsFor('/finance', first).length, 1);
      assert.equal(alertsFor('/finance', other).length, 0);
      assert.equal(alert!.body.type, 'exception.created');
      assert.doesNotMatch(alert!.rawBody.toString(), /4111111111111111/);
      const verdict = verifyStandardWebhook({
        headers: alert!.headers as Record<string, string>,
        rawBody: alert!.rawBody,
        secrets: [FIN_SECRET],
        now: new Date(now),
      });
      assert.equal(verdict.ok, true);
      assert.equal(
        verifyStandardWebhook({
          headers: alert!.headers as Record<string, string>,
          rawBody: alert!.rawBody,
          secrets: [OPS_SECRET],
          now: new Date(now),
        }).ok,
        false,
      );

      const second = await insertException(t.store, {
        class: 'validation',
        owner: 'finance-ops',
        process: 'expense-posting',
        createdAt: now,
      });
      await drain(dispatcher());
      assert.equal(alertsFor('/finance', first).length, 1);
      assert.equal(alertsFor('/finance', second).length, 1);
    });

    test('a receiver failing twice then succeeding: delivered once after three attempts with one webhook-id', async () => {
      receiver.failures.set('/ops', 2);
      const id = await insertException(t.store, {
        class: 'transient',
        owner: 'integration-ops',
        process: 'expense-posting',
        createdAt: now,
      });
      await drain(dispatcher());
      const attempts = alertsFor('/ops', id);
      assert.equal(attempts.length, 3);
      assert.equal(new Set(attempts.map((a) => a.headers['webhook-id'])).size, 1);
      const rows = await t.store.db.selectFrom('alert_deliveries').selectAll().where('exception_id', '=', id).execute();
      assert.deepEqual(
        rows.map((r) => [r.status, Number(r.attempts), r.last_error]),
        [['delivered', 3, null]],
      );
    });

    test('an open exception past its SLA alerts once; younger ones wait until they pass it', async () => {
      const old = await insertException(t.store, {
        class: 'validation',
        owner: 'finance-ops',
        process: 'expense-posting',
        createdAt: now - 61 * MIN,
      });
      const young = await insertException(t.store, {
        class: 'validation',
        owner: 'finance-ops',
        process: 'expense-posting',
        createdAt: now - 30 * MIN,
      });
      await drain(dispatcher());
      assert.equal(alertsFor('/finance', old, 'exception.sla_breached').length, 1);
      assert.equal(alertsFor('/finance', young, 'exception.sla_breached').length, 0);
      assert.equal(alertsFor('/finance', old, 'exception.sla_breached')[0]!.body.data.slaMinutes, 60);
      now += 31 * MIN;
      await drain(dispatcher());
      assert.equal(alertsFor('/finance', young, 'exception.sla_breached').length, 1);
      assert.equal(alertsFor('/finance', old, 'exception.sla_breached').length, 1);
    });

    test('inside the close window the SLA is a quarter: 20 minutes open is a breach', async () => {
      now = Date.UTC(2025, 2, 30, 12);
      const id = await insertException(t.store, {
        class: 'validation',
        owner: 'finance-ops',
        process: 'expense-posting',
        createdAt: now - 20 * MIN,
      });
      await drain(dispatcher());
      const [breach] = alertsFor('/finance', id, 'exception.sla_breached');
      assert.equal(breach?.body.data.slaMinutes, 15);
      assert.deepEqual(breach?.body.data.closeWindow, { from: '2025-03-29', to: '2025-04-02', slaFactor: 0.25 });
    });
  });

  describe(`alerts in a running app [${kind}]`, () => {
    test('the worker delivers the alert of a new exception; GET /v1/alerts shows it delivered', async () => {
      const receiver = new AlertReceiver();
      const base = await receiver.start();
      process.env['LL_TEST_ALERT_SECRET'] = FIN_SECRET;
      const f = await startApp(kind, 'alerts_app', {
        config: {
          alerts: {
            routes: [{ owner: 'finance-ops', url: `${base}/finance`, secret: { env: 'LL_TEST_ALERT_SECRET' } }],
          },
        },
      });
      try {
        const id = await insertException(f.app.store, {
          class: 'validation',
          owner: 'finance-ops',
          process: 'expense-posting',
          createdAt: Date.now(),
        });
        await waitFor('the alert to be delivered', async () => {
          const list = (await request(`${f.url}/v1/alerts?status=delivered`, { headers: f.auth })).json as {
            deliveries: { exceptionId: string }[];
          };
          return list.deliveries.some((d) => d.exceptionId === id);
        });
        assert.equal(receiver.at('/finance').filter((r) => r.body.data.exceptionId === id).length, 1);
        const kpis = (await request(`${f.url}/v1/kpis`, { headers: f.auth })).json as {
          alerts: { deliveriesByStatus: Record<string, number> };
        };
        assert.equal(kpis.alerts.deliveriesByStatus['delivered'], 1);
      } finally {
        await f.close();
        await receiver.stop();
      }
    });
  });
}
