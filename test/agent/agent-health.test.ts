/**
 * Agent health as the hub reports it (KPIs and metrics) and the agent-gone alert: connected while
 * seen, gone after the staleness window or a closed poll; one alert per absence past the threshold,
 * per route of the agent's owner. Both stores.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Registry } from 'prom-client';
import { agentRelay } from '../../src/agent/relay/agent-relay.js';
import { agentHealthOf, AGENT_STALE_MS } from '../../src/insights/agent-health.js';
import { queueAgentGoneAlerts } from '../../src/insights/alerts/agent-gone-alerts.js';
import { registerAgentMetrics } from '../../src/observability/agent-metrics.js';
import { openTestStore, storeKinds, type TestStore } from '../helpers/stores.js';

for (const kind of storeKinds) {
  describe(`agent health and the agent-gone alert [${kind}]`, () => {
    let db: TestStore;
    let clock = 1_800_000_000_000;
    before(async () => {
      db = await openTestStore(kind, 'agent_health');
    });
    after(() => db.close());

    test('connected while seen; gone once stale; the version and figures as recorded', async () => {
      const relay = agentRelay(db.store, ['onprem'], () => clock);
      assert.deepEqual(
        (await agentHealthOf(db.store, ['onprem'], clock)).map((a) => [a.name, a.connected, a.lastSeenAt]),
        [['onprem', false, null]],
        'a configured agent that never connected is listed, not connected',
      );
      await relay.sessions.seen('onprem', 'session-aaaa', '2.1.0');
      await relay.sessions.answered('onprem', [100, 200]);
      const [now] = await agentHealthOf(db.store, ['onprem'], clock);
      assert.equal(now?.connected, true);
      assert.equal(now?.version, '2.1.0');
      assert.equal(now?.callsAnswered, 2);
      assert.equal(now?.latencyMs, 120);
      const [later] = await agentHealthOf(db.store, ['onprem'], clock + AGENT_STALE_MS + 1);
      assert.equal(later?.connected, false);

      const registry = new Registry();
      registerAgentMetrics(
        registry,
        () => agentHealthOf(db.store, ['onprem'], clock),
        () => clock,
      );
      const text = await registry.metrics();
      assert.match(text, /ledgerlink_agent_connected\{agent="onprem"\} 1/);
      assert.match(text, /ledgerlink_agent_latency_seconds\{agent="onprem"\} 0\.12/);
      assert.match(text, /ledgerlink_agent_info\{agent="onprem",version="2\.1\.0"\} 1/);
      assert.match(text, /ledgerlink_agent_calls_in_flight\{agent="onprem"\} 0/);
    });

    test('one alert per absence past the threshold, to the routes of the owner', async () => {
      const relay = agentRelay(db.store, ['onprem'], () => clock);
      await relay.sessions.seen('onprem', 'session-bbbb', '2.1.0');
      await relay.sessions.closed('onprem', 'session-bbbb');
      const rules = [{ agent: 'onprem', afterMs: 60_000, owner: 'integration-ops' }];
      const routes = [
        { key: 'ops-1', owner: 'integration-ops' },
        { key: 'finance', owner: 'finance-ops' },
      ];
      assert.equal(
        await queueAgentGoneAlerts(db.store, rules, routes, clock + 30_000),
        0,
        'not yet past the threshold',
      );
      assert.equal(await queueAgentGoneAlerts(db.store, rules, routes, clock + 61_000), 1, 'one route of the owner');
      assert.equal(await queueAgentGoneAlerts(db.store, rules, routes, clock + 120_000), 0, 'once per absence');
      const [delivery] = await db.store.db.selectFrom('alert_deliveries').selectAll().execute();
      assert.equal(delivery?.kind, 'agent_gone');
      assert.equal(delivery?.route, 'ops-1');
      assert.equal((JSON.parse(delivery?.payload ?? '{}') as { type: string }).type, 'agent.gone');

      clock += 200_000;
      await relay.sessions.seen('onprem', 'session-cccc', '2.1.1');
      assert.equal(await queueAgentGoneAlerts(db.store, rules, routes, clock + 1_000), 0, 'back: no alert');
      assert.equal(await queueAgentGoneAlerts(db.store, rules, routes, clock + 90_000), 1, 'gone again: alerted again');
    });
  });
}
