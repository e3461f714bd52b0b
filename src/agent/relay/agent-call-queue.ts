/**
 * The calls handed to agents, in the store (`agent_calls`), so that a worker on any node can hand a
 * call to an agent whose long poll another API process holds:
 *
 *   worker: enqueue ──> queued ──(the API process holding the poll: take)──> delivered(session)
 *                                                            agent answers ──> answered ──> worker reads, deletes
 *   a new session of the agent: delivered calls of older sessions ──> lost (unknown outcome)
 *   the worker gives up: queued ──> cancelled (never sent); delivered ──> deleted (unknown outcome)
 *
 * Waiting is by polling the rows (one query per process for all its waiting calls) plus an in-process
 * signal, so a worker and the API process in one process (`serve --role all`) hand over at once.
 */
import { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';
import type { Store } from '../../store/port.js';
import type { AgentAnswer, AgentCall } from '../wire-protocol.js';

export interface QueuedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: readonly (readonly [string, string])[];
  readonly body: string | null;
}

/** How a wait for an answer ended. */
export type CallOutcome =
  | { readonly kind: 'answered'; readonly answer: AgentAnswer }
  /** Handed to an agent session that ended, or given up while delivered: it may have been sent. */
  | { readonly kind: 'unknown' }
  /** Given up before any agent took it: never sent. */
  | { readonly kind: 'not_taken' };

export interface AgentCallQueueOptions {
  readonly now?: () => number;
  /** How often waiting callers look for answers written by another process. Default 20 ms. */
  readonly answerPollMs?: number;
  /** Margin between the agent's own timeout and the hub's deadline. Default 1 s. */
  readonly marginMs?: number;
}

const newCallId = (): string => `agc_${randomBytes(12).toString('hex')}`;

export class AgentCallQueue {
  readonly #store: Store;
  readonly #now: () => number;
  readonly #answerPollMs: number;
  readonly #marginMs: number;
  readonly #signals = new EventEmitter();
  readonly #waiting = new Map<string, (outcome: CallOutcome | undefined) => void>();
  #timer: NodeJS.Timeout | undefined;
  #checking = false;

  constructor(store: Store, options: AgentCallQueueOptions = {}) {
    this.#store = store;
    this.#now = options.now ?? Date.now;
    this.#answerPollMs = options.answerPollMs ?? 20;
    this.#marginMs = options.marginMs ?? 1_000;
    this.#signals.setMaxListeners(0);
  }

  /** Queues a call for an agent; answers its id once it is durable. */
  async enqueue(agent: string, system: string, request: QueuedRequest, deadlineAt: number): Promise<string> {
    const id = newCallId();
    await this.#store.writeTransaction((tx) =>
      tx
        .insertInto('agent_calls')
        .values({
          id,
          agent,
          system,
          status: 'queued',
          session: null,
          request: JSON.stringify(request),
          response: null,
          created_at: this.#now(),
          deadline_at: deadlineAt,
          delivered_at: null,
          answered_at: null,
        })
        .execute(),
    );
    this.#signals.emit(`queued:${agent}`);
    return id;
  }

  /** Calls `listener` when a call for `agent` is queued in this process; answers the unsubscribe. */
  onQueued(agent: string, listener: () => void): () => void {
    this.#signals.on(`queued:${agent}`, listener);
    return () => this.#signals.off(`queued:${agent}`, listener);
  }

  /** Takes up to `max` queued calls for the agent's session (oldest first) that can still be made in time. */
  async take(agent: string, session: string, max: number): Promise<AgentCall[]> {
    const now = this.#now();
    // A read first: an idle agent's poll looks every 100 ms, and takes the write lock only for work.
    const any = await this.#store.db
      .selectFrom('agent_calls')
      .select('id')
      .where('agent', '=', agent)
      .where('status', '=', 'queued')
      .limit(1)
      .executeTakeFirst();
    if (any === undefined) return [];
    const rows = await this.#store.writeTransaction(async (tx) => {
      let select = tx
        .selectFrom('agent_calls')
        .select('id')
        .where('agent', '=', agent)
        .where('status', '=', 'queued')
        .where('deadline_at', '>', now + this.#marginMs)
        .orderBy('created_at')
        .limit(max);
      if (this.#store.dialect === 'postgres') select = select.forUpdate().skipLocked();
      const ids = (await select.execute()).map((r) => r.id);
      if (ids.length === 0) return [];
      return tx
        .updateTable('agent_calls')
        .set({ status: 'delivered', session, delivered_at: now })
        .where('id', 'in', ids)
        .where('status', '=', 'queued')
        .returning(['id', 'system', 'request', 'deadline_at'])
        .execute();
    });
    return rows.map((row) => {
      const request = JSON.parse(row.request) as QueuedRequest;
      return {
        id: row.id,
        system: row.system,
        method: request.method,
        url: request.url,
        headers: request.headers.map(([name, value]) => [name, value] as [string, string]),
        body: request.body,
        timeoutMs: Math.max(0, Number(row.deadline_at) - now - this.#marginMs),
      };
    });
  }

  /**
   * Records the answers of the agent's session; answers to calls no longer waiting are dropped.
   * Answers the accepted calls with their round trip (delivery to answer).
   */
  async answer(
    agent: string,
    session: string,
    answers: readonly AgentAnswer[],
  ): Promise<{ readonly id: string; readonly roundTripMs: number }[]> {
    if (answers.length === 0) return [];
    const now = this.#now();
    const accepted = await this.#store.writeTransaction(async (tx) => {
      const out: { id: string; roundTripMs: number }[] = [];
      for (const answer of answers) {
        const row = await tx
          .updateTable('agent_calls')
          .set({ status: 'answered', response: JSON.stringify(answer), answered_at: now })
          .where('id', '=', answer.id)
          .where('agent', '=', agent)
          .where('session', '=', session)
          .where('status', '=', 'delivered')
          .returning(['id', 'delivered_at'])
          .executeTakeFirst();
        if (row !== undefined) out.push({ id: row.id, roundTripMs: now - Number(row.delivered_at ?? now) });
      }
      return out;
    });
    if (accepted.length > 0) this.#kick();
    return accepted;
  }

  /** Marks the calls handed to any other session of the agent as lost; answers how many. */
  async loseOtherSessions(agent: string, session: string): Promise<number> {
    const result = await this.#store.writeTransaction((tx) =>
      tx
        .updateTable('agent_calls')
        .set({ status: 'lost' })
        .where('agent', '=', agent)
        .where('status', '=', 'delivered')
        .where('session', '!=', session)
        .executeTakeFirst(),
    );
    return this.#lost(Number(result.numUpdatedRows));
  }

  /** Marks the given delivered calls as lost (their poll answer never reached the agent). */
  async loseCalls(agent: string, ids: readonly string[]): Promise<number> {
    if (ids.length === 0) return 0;
    const result = await this.#store.writeTransaction((tx) =>
      tx
        .updateTable('agent_calls')
        .set({ status: 'lost' })
        .where('agent', '=', agent)
        .where('status', '=', 'delivered')
        .where('id', 'in', [...ids])
        .executeTakeFirst(),
    );
    return this.#lost(Number(result.numUpdatedRows));
  }

  #lost(count: number): number {
    if (count > 0) this.#kick();
    return count;
  }

  /**
   * Waits for the call's outcome; when `signal` aborts first, a call no agent took is cancelled
   * (never sent) and one already delivered is given up (unknown outcome). The row is deleted.
   */
  async wait(id: string, signal: AbortSignal): Promise<CallOutcome> {
    const outcome = await new Promise<CallOutcome | undefined>((resolve) => {
      const onAbort = (): void => {
        this.#waiting.delete(id);
        resolve(undefined);
      };
      if (signal.aborted) return resolve(undefined);
      signal.addEventListener('abort', onAbort, { once: true });
      this.#waiting.set(id, (found) => {
        signal.removeEventListener('abort', onAbort);
        resolve(found);
      });
      this.#schedule();
    });
    return outcome ?? (await this.giveUp(id));
  }

  private async giveUp(id: string): Promise<CallOutcome> {
    const cancelled = await this.#store.writeTransaction((tx) =>
      tx
        .updateTable('agent_calls')
        .set({ status: 'cancelled' })
        .where('id', '=', id)
        .where('status', '=', 'queued')
        .executeTakeFirst(),
    );
    const row = await this.#store.db
      .selectFrom('agent_calls')
      .select(['status', 'response'])
      .where('id', '=', id)
      .executeTakeFirst();
    await this.remove(id);
    if (Number(cancelled.numUpdatedRows) > 0) return { kind: 'not_taken' };
    if (row?.status === 'answered' && row.response !== null)
      return { kind: 'answered', answer: JSON.parse(row.response) as AgentAnswer };
    return { kind: 'unknown' };
  }

  private async remove(id: string): Promise<void> {
    await this.#store.writeTransaction((tx) => tx.deleteFrom('agent_calls').where('id', '=', id).execute());
  }

  /** Deletes calls left behind (their caller died) well after their deadline. */
  async prune(olderThanMs = 3_600_000): Promise<number> {
    const result = await this.#store.writeTransaction((tx) =>
      tx
        .deleteFrom('agent_calls')
        .where('deadline_at', '<', this.#now() - olderThanMs)
        .executeTakeFirst(),
    );
    return Number(result.numDeletedRows);
  }

  /** Calls handed to the agent and not answered yet, per agent. */
  async inFlight(): Promise<Map<string, number>> {
    const rows = await this.#store.db
      .selectFrom('agent_calls')
      .select(['agent', (eb) => eb.fn.countAll<number>().as('n')])
      .where('status', '=', 'delivered')
      .groupBy('agent')
      .execute();
    return new Map(rows.map((r) => [r.agent, Number(r.n)]));
  }

  /** Stops the answer poll; waiting callers keep their own deadlines. */
  close(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #kick(): void {
    if (this.#waiting.size > 0) setImmediate(() => void this.#check());
  }

  #schedule(): void {
    if (this.#timer !== undefined || this.#waiting.size === 0) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.#check().finally(() => this.#schedule());
    }, this.#answerPollMs);
    this.#timer.unref();
  }

  async #check(): Promise<void> {
    if (this.#checking || this.#waiting.size === 0) return;
    this.#checking = true;
    try {
      const ids = [...this.#waiting.keys()];
      for (let i = 0; i < ids.length; i += 500) {
        const rows = await this.#store.db
          .selectFrom('agent_calls')
          .select(['id', 'status', 'response'])
          .where('id', 'in', ids.slice(i, i + 500))
          .where('status', 'in', ['answered', 'lost'])
          .execute();
        for (const row of rows) {
          const resolve = this.#waiting.get(row.id);
          if (resolve === undefined) continue;
          this.#waiting.delete(row.id);
          await this.remove(row.id);
          resolve(
            row.status === 'answered' && row.response !== null
              ? { kind: 'answered', answer: JSON.parse(row.response) as AgentAnswer }
              : { kind: 'unknown' },
          );
        }
      }
    } catch {
      // The store is unreachable for a moment: the next round tries again, each caller keeps its deadline.
    } finally {
      this.#checking = false;
    }
  }
}
