/**
 * What the API process needs to serve agents: the call queue, the sessions and the agents the
 * configuration knows. One per process, shared by the transports of that process's connectors.
 */
import type { Store } from '../../store/port.js';
import { AgentCallQueue } from './agent-call-queue.js';
import { AgentSessions } from './agent-sessions.js';

export interface AgentRelay {
  readonly queue: AgentCallQueue;
  readonly sessions: AgentSessions;
  /** Agent names the configuration knows (`agents:` and every `via: agent:<name>`). */
  readonly known: ReadonlySet<string>;
}

export function agentRelay(store: Store, known: Iterable<string>, now: () => number = Date.now): AgentRelay {
  const queue = new AgentCallQueue(store, { now });
  return { queue, sessions: new AgentSessions(store, queue, { now }), known: new Set(known) };
}
