/**
 * Gauges of the on-premises agents, read from the store at each scrape (one read shared by all of
 * them): connected, seconds since last seen, calls in flight, round-trip latency, calls lost, and
 * the version each runs (as an info gauge). Typed structurally: observability imports no insights.
 */
import { Gauge, type Registry } from 'prom-client';

export interface AgentSample {
  readonly name: string;
  readonly connected: boolean;
  readonly lastSeenAt: string | null;
  readonly version: string | null;
  readonly callsInFlight: number;
  readonly callsLost: number;
  readonly latencyMs: number | null;
}

export type AgentSampleSource = () => Promise<readonly AgentSample[]>;

/** Registers the agent gauges on `registry`, fed by `source` once per scrape. */
export function registerAgentMetrics(
  registry: Registry,
  source: AgentSampleSource,
  now: () => number = Date.now,
): void {
  let pending: Promise<readonly AgentSample[]> | undefined;
  const read = (): Promise<readonly AgentSample[]> => {
    pending ??= source()
      .catch(() => [])
      .finally(() => {
        // Shared by the gauges of one scrape only.
        setImmediate(() => (pending = undefined));
      });
    return pending;
  };
  const gauge = (name: string, help: string, value: (a: AgentSample) => number | undefined): void => {
    new Gauge({
      name,
      help,
      labelNames: ['agent'],
      registers: [registry],
      async collect() {
        const agents = await read();
        this.reset();
        for (const agent of agents) {
          const v = value(agent);
          if (v !== undefined) this.set({ agent: agent.name }, v);
        }
      },
    });
  };
  gauge('ledgerlink_agent_connected', 'Whether the on-premises agent is connected (1) or not (0)', (a) =>
    a.connected ? 1 : 0,
  );
  gauge('ledgerlink_agent_last_seen_age_seconds', 'Seconds since the agent was last seen', (a) =>
    a.lastSeenAt === null ? undefined : Math.max(0, (now() - Date.parse(a.lastSeenAt)) / 1000),
  );
  gauge('ledgerlink_agent_calls_in_flight', 'Calls handed to the agent and not answered yet', (a) => a.callsInFlight);
  gauge('ledgerlink_agent_latency_seconds', 'Moving average of a call round trip through the agent', (a) =>
    a.latencyMs === null ? undefined : a.latencyMs / 1000,
  );
  gauge(
    'ledgerlink_agent_calls_lost',
    'Calls whose answer was lost with an agent process (unknown outcomes)',
    (a) => a.callsLost,
  );
  new Gauge({
    name: 'ledgerlink_agent_info',
    help: 'The version each agent runs',
    labelNames: ['agent', 'version'],
    registers: [registry],
    async collect() {
      const agents = await read();
      this.reset();
      for (const a of agents) if (a.version !== null) this.set({ agent: a.name, version: a.version }, 1);
    },
  });
}
