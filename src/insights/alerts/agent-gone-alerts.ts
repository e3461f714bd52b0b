/**
 * The alert for an on-premises agent gone longer than its threshold (`agents.<name>.goneAlertAfterMs`,
 * default 5 minutes): once per absence, one `agent_gone` delivery per alert route of the agent's
 * owner (default `integration-ops`), queued into `alert_deliveries` in the same transaction that
 * marks the agent alerted (`agents.gone_alerted_at`), and delivered like every other alert. The next
 * absence (the agent seen again after the mark) alerts again.
 */
import type { Store } from '../../store/port.js';
import { agentConnected } from '../agent-health.js';
import { queueAlertDelivery } from './alert-delivery-queue.js';

export const DEFAULT_AGENT_GONE_MS = 300_000;
export const DEFAULT_AGENT_OWNER = 'integration-ops';

export interface AgentGoneRule {
  readonly agent: string;
  readonly afterMs: number;
  readonly owner: string;
}

/** Queues the alerts of agents gone past their threshold; answers how many deliveries were queued. */
export async function queueAgentGoneAlerts(
  store: Store,
  rules: readonly AgentGoneRule[],
  routes: readonly { readonly key: string; readonly owner: string }[],
  now: number,
): Promise<number> {
  if (rules.length === 0) return 0;
  const rows = await store.db.selectFrom('agents').selectAll().execute();
  const byName = new Map(rows.map((r) => [r.name, r]));
  let queued = 0;
  for (const rule of rules) {
    const row = byName.get(rule.agent);
    if (row === undefined || agentConnected(row, now)) continue;
    const lastSeen = Number(row.last_seen_at);
    if (now - lastSeen < rule.afterMs) continue;
    if (row.gone_alerted_at !== null && Number(row.gone_alerted_at) >= lastSeen) continue;
    const payload = JSON.stringify({
      type: 'agent.gone',
      timestamp: new Date(now).toISOString(),
      data: {
        agent: rule.agent,
        owner: rule.owner,
        lastSeenAt: new Date(lastSeen).toISOString(),
        goneMinutes: Math.floor((now - lastSeen) / 60_000),
        thresholdMinutes: rule.afterMs / 60_000,
        version: row.version,
      },
    });
    queued += await store.writeTransaction(async (tx) => {
      const marked = await tx
        .updateTable('agents')
        .set({ gone_alerted_at: now })
        .where('name', '=', rule.agent)
        .where('last_seen_at', '=', row.last_seen_at)
        .where((eb) => eb.or([eb('gone_alerted_at', 'is', null), eb('gone_alerted_at', '<', row.last_seen_at)]))
        .executeTakeFirst();
      if (Number(marked.numUpdatedRows) === 0) return 0;
      let count = 0;
      for (const route of routes.filter((r) => r.owner === rule.owner)) {
        count += await queueAlertDelivery(tx, {
          exceptionId: `agent:${rule.agent}:${lastSeen}`,
          kind: 'agent_gone',
          route,
          payload,
          now,
        });
      }
      return count;
    });
  }
  return queued;
}
