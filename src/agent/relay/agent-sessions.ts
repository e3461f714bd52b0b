/**
 * The hub's record of each agent's connection (`agents`): the session of the agent process now
 * polling, when it was last seen, whether its poll was seen to close, and the figures of its calls.
 * A poll from a new session means the previous agent process is gone: the calls handed to it are
 * lost at once (unknown outcomes) instead of waiting for their deadlines.
 */
import { agentConnected } from '../../insights/agent-health.js';
import type { Store } from '../../store/port.js';
import type { AgentCallQueue } from './agent-call-queue.js';

export interface AgentSessionsOptions {
  readonly now?: () => number;
  /** How long a connection check is reused by the transports of one process. Default 250 ms. */
  readonly cacheMs?: number;
}

const LATENCY_WEIGHT = 0.2;

export class AgentSessions {
  readonly #store: Store;
  readonly #queue: AgentCallQueue;
  readonly #now: () => number;
  readonly #cacheMs: number;
  readonly #checked = new Map<string, { at: number; connected: boolean; lastSeenAt: number | null }>();

  constructor(store: Store, queue: AgentCallQueue, options: AgentSessionsOptions = {}) {
    this.#store = store;
    this.#queue = queue;
    this.#now = options.now ?? Date.now;
    this.#cacheMs = options.cacheMs ?? 250;
  }

  /** Records a poll of the agent's session; a new session loses the calls of the one before. */
  async seen(agent: string, session: string, version: string): Promise<{ readonly newSession: boolean }> {
    const now = this.#now();
    const newSession = await this.#store.writeTransaction(async (tx) => {
      const row = await tx.selectFrom('agents').select('session').where('name', '=', agent).executeTakeFirst();
      if (row === undefined) {
        await tx
          .insertInto('agents')
          .values({
            name: agent,
            version,
            session,
            connected_at: now,
            last_seen_at: now,
            closed_at: null,
            calls_answered: 0,
            calls_lost: 0,
            latency_ms: null,
            gone_alerted_at: null,
          })
          .execute();
        return true;
      }
      const fresh = row.session !== session;
      await tx
        .updateTable('agents')
        .set({ version, session, last_seen_at: now, closed_at: null, ...(fresh ? { connected_at: now } : {}) })
        .where('name', '=', agent)
        .execute();
      return fresh;
    });
    if (newSession) {
      const lost = await this.#queue.loseOtherSessions(agent, session);
      if (lost > 0) await this.#countLost(agent, lost);
    }
    this.#checked.delete(agent);
    return { newSession };
  }

  /** Refreshes `last_seen_at` while a poll of the session is held. */
  async heartbeat(agent: string, session: string): Promise<void> {
    const now = this.#now();
    await this.#store.writeTransaction((tx) =>
      tx
        .updateTable('agents')
        .set({ last_seen_at: now })
        .where('name', '=', agent)
        .where('session', '=', session)
        .execute(),
    );
  }

  /** The session's poll closed before it was answered: the agent or its connection went away. */
  async closed(agent: string, session: string, undelivered: readonly string[] = []): Promise<void> {
    const now = this.#now();
    await this.#store.writeTransaction((tx) =>
      tx
        .updateTable('agents')
        .set({ closed_at: now })
        .where('name', '=', agent)
        .where('session', '=', session)
        .execute(),
    );
    const lost = await this.#queue.loseCalls(agent, undelivered);
    if (lost > 0) await this.#countLost(agent, lost);
    this.#checked.delete(agent);
  }

  /** Counts answered calls and folds their round trips into the moving average. */
  async answered(agent: string, roundTripsMs: readonly number[]): Promise<void> {
    if (roundTripsMs.length === 0) return;
    await this.#store.writeTransaction(async (tx) => {
      const row = await tx
        .selectFrom('agents')
        .select(['latency_ms', 'calls_answered'])
        .where('name', '=', agent)
        .executeTakeFirst();
      if (row === undefined) return;
      let latency = row.latency_ms === null ? null : Number(row.latency_ms);
      for (const ms of roundTripsMs) latency = latency === null ? ms : latency + LATENCY_WEIGHT * (ms - latency);
      await tx
        .updateTable('agents')
        .set({
          calls_answered: Number(row.calls_answered) + roundTripsMs.length,
          latency_ms: latency === null ? null : Math.round(latency),
        })
        .where('name', '=', agent)
        .execute();
    });
  }

  async #countLost(agent: string, count: number): Promise<void> {
    await this.#store.writeTransaction((tx) =>
      tx
        .updateTable('agents')
        .set((eb) => ({ calls_lost: eb('calls_lost', '+', count) }))
        .where('name', '=', agent)
        .execute(),
    );
  }

  /** Whether the agent is connected now (checked at most every `cacheMs` per process). */
  async connection(agent: string): Promise<{ readonly connected: boolean; readonly lastSeenAt: number | null }> {
    const now = this.#now();
    const cached = this.#checked.get(agent);
    if (cached !== undefined && now - cached.at < this.#cacheMs) return cached;
    const row = await this.#store.db
      .selectFrom('agents')
      .select(['last_seen_at', 'closed_at'])
      .where('name', '=', agent)
      .executeTakeFirst();
    const checked = {
      at: now,
      connected: agentConnected(row, now),
      lastSeenAt: row === undefined ? null : Number(row.last_seen_at),
    };
    this.#checked.set(agent, checked);
    return checked;
  }
}
