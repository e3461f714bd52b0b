/**
 * The health of each on-premises agent as the hub sees it, from the `agents` and `agent_calls`
 * tables: connected or not, last seen, version, calls in flight and the moving average of its
 * calls' round trip. Read by `GET /v1/kpis`, the metrics and the agent-gone alert.
 *
 * Connected means: its long poll was seen within `staleMs` (a held poll is refreshed every few
 * seconds) and its connection was not seen to close since.
 */
import type { Store } from '../store/port.js';
import type { AgentsTable } from '../store/schema.js';

/** A held poll refreshes `last_seen_at` this often; an agent unseen for STALE_MS is not connected. */
export const AGENT_HEARTBEAT_MS = 5_000;
export const AGENT_STALE_MS = 15_000;

export interface AgentHealth {
  readonly name: string;
  readonly connected: boolean;
  /** ISO time; null for an agent that never connected. */
  readonly lastSeenAt: string | null;
  readonly connectedSince: string | null;
  /** Seconds since it was last seen; null when never. */
  readonly goneSeconds: number | null;
  readonly version: string | null;
  readonly callsInFlight: number;
  readonly callsAnswered: number;
  readonly callsLost: number;
  /** Moving average of a call's round trip through the agent, ms; null before its first answer. */
  readonly latencyMs: number | null;
}

export function agentConnected(
  row: Pick<AgentsTable, 'last_seen_at' | 'closed_at'> | undefined,
  now: number,
  staleMs = AGENT_STALE_MS,
): boolean {
  if (row === undefined) return false;
  const seen = Number(row.last_seen_at);
  const closed = row.closed_at === null ? null : Number(row.closed_at);
  return now - seen <= staleMs && (closed === null || closed < seen);
}

/** One entry per agent named (configured or seen), sorted by name. */
export async function agentHealthOf(
  store: Pick<Store, 'db'>,
  names: readonly string[],
  now: number,
): Promise<AgentHealth[]> {
  const rows = await store.db.selectFrom('agents').selectAll().execute();
  const flights = await store.db
    .selectFrom('agent_calls')
    .select(['agent', (eb) => eb.fn.countAll<number>().as('n')])
    .where('status', '=', 'delivered')
    .groupBy('agent')
    .execute();
  const inFlight = new Map(flights.map((f) => [f.agent, Number(f.n)]));
  const byName = new Map(rows.map((r) => [r.name, r]));
  const all = [...new Set([...names, ...byName.keys()])].sort();
  return all.map((name) => {
    const row = byName.get(name);
    const seen = row === undefined ? null : Number(row.last_seen_at);
    return {
      name,
      connected: agentConnected(row, now),
      lastSeenAt: seen === null ? null : new Date(seen).toISOString(),
      connectedSince: row === undefined ? null : new Date(Number(row.connected_at)).toISOString(),
      goneSeconds: seen === null ? null : Math.max(0, Math.floor((now - seen) / 1000)),
      version: row?.version ?? null,
      callsInFlight: inFlight.get(name) ?? 0,
      callsAnswered: Number(row?.calls_answered ?? 0),
      callsLost: Number(row?.calls_lost ?? 0),
      latencyMs: row?.latency_ms === null || row?.latency_ms === undefined ? null : Number(row.latency_ms),
    };
  });
}
