/**
 * Runs the flows' pollers. Each poller has a row in `schedules`; a worker takes it under a lease when
 * it is due, polls, stores the events it found through the inbox (deduplicated like webhooks), and
 * then, still holding the lease, moves the cursor and the next run time. A poller that fails keeps
 * its cursor and tries again soon; its last error stays on the row for operators.
 */
import { stringifyJson } from '../canonical/strict-json.js';
import type { NewInboxEvent, Store } from '../store/port.js';
import type { EngineLogger } from './engine-deps.js';
import { newId } from './ids.js';
import { nextRunAt, retryAt } from './poll-schedule.js';
import { activeTraceparent, inSpan } from '../observability/tracing.js';
import type { PolledEvent, PollerDefinition } from './step-api.js';

export interface PollOutcome {
  readonly poller: string;
  readonly found: number;
  readonly stored: number;
  readonly error?: string;
}

export interface PollerRunnerOptions {
  readonly store: Store;
  readonly pollers: readonly PollerDefinition[];
  readonly owner: string;
  readonly leaseMs: number;
  readonly logger: EngineLogger;
  readonly now: () => number;
  /** Called after events were stored, to wake the dispatcher. */
  readonly onStored?: () => void;
  /** True when the poller's system is paused (e.g. after an authentication failure). */
  readonly isPaused?: (system: string) => Promise<boolean>;
}

/** How often the worker loop may look for due pollers. */
const TICK_MS = 200;

export class PollerRunner {
  private readonly options: PollerRunnerOptions;
  private readonly byName: Map<string, PollerDefinition>;
  private readonly running = new Map<string, Promise<PollOutcome>>();
  private lastTick = 0;
  private prepared = false;

  constructor(options: PollerRunnerOptions) {
    this.options = options;
    this.byName = new Map(options.pollers.map((p) => [p.name, p]));
  }

  get size(): number {
    return this.byName.size;
  }

  /** Creates the missing schedule rows, due at once. */
  async prepare(): Promise<void> {
    if (this.prepared || this.byName.size === 0) return;
    const now = this.options.now();
    await this.options.store.writeTransaction(async (tx) => {
      for (const name of this.byName.keys()) {
        await tx
          .insertInto('schedules')
          .values({
            name,
            cursor: null,
            next_run_at: now,
            lease_owner: null,
            lease_until: null,
            last_run_at: null,
            last_error: null,
            runs: 0,
            updated_at: now,
          })
          .onConflict((oc) => oc.column('name').doNothing())
          .execute();
      }
    });
    this.prepared = true;
  }

  /** Starts the pollers that are due, without waiting for them; cheap when called often. */
  async tick(): Promise<void> {
    if (this.byName.size === 0) return;
    const now = this.options.now();
    if (now - this.lastTick < TICK_MS) return;
    this.lastTick = now;
    await this.prepare();
    const due = await this.options.store.db
      .selectFrom('schedules')
      .select('name')
      .where('next_run_at', '<=', now)
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
      .execute();
    for (const { name } of due) {
      if (this.running.has(name) || !this.byName.has(name)) continue;
      const run = this.runOnce(name).finally(() => this.running.delete(name));
      this.running.set(name, run);
    }
  }

  /** Waits for the polls in progress (shutdown). */
  async settle(): Promise<void> {
    await Promise.allSettled([...this.running.values()]);
  }

  /** Makes a poller due now (operators, tests); the next tick runs it. */
  async dueNow(name: string): Promise<void> {
    await this.options.store.writeTransaction(async (tx) => {
      await tx
        .updateTable('schedules')
        .set({ next_run_at: 0, updated_at: this.options.now() })
        .where('name', '=', name)
        .execute();
    });
    this.lastTick = 0;
  }

  /** Takes the poller's lease if it is free (whether due or not) and polls once. */
  async runOnce(name: string): Promise<PollOutcome> {
    const poller = this.byName.get(name);
    if (poller === undefined) return { poller: name, found: 0, stored: 0, error: 'unknown poller' };
    await this.prepare();
    const { store, owner, leaseMs } = this.options;
    const now = this.options.now();
    const cursor = await store.writeTransaction(async (tx) => {
      const taken = await tx
        .updateTable('schedules')
        .set({ lease_owner: owner, lease_until: now + leaseMs, updated_at: now })
        .where('name', '=', name)
        .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
        .executeTakeFirst();
      if (taken.numUpdatedRows !== 1n) return undefined;
      const row = await tx.selectFrom('schedules').select('cursor').where('name', '=', name).executeTakeFirstOrThrow();
      return { value: row.cursor };
    });
    if (cursor === undefined) return { poller: name, found: 0, stored: 0, error: 'another worker holds the poller' };
    if ((await this.options.isPaused?.(poller.system)) === true) {
      await this.finish(name, {
        next_run_at: retryAt(poller, this.options.now()),
        last_error: `system ${poller.system} is paused`,
      });
      return { poller: name, found: 0, stored: 0, error: 'paused' };
    }
    const signal = AbortSignal.timeout(leaseMs);
    try {
      // One span per poll, a new trace: its calls are its children, and so are the runs of what it stored.
      const { result, stored } = await inSpan(
        `poll ${name}`,
        { parent: null, attributes: { 'ledgerlink.poller': name, 'ledgerlink.system': poller.system } },
        async (span) => {
          const polled = await poller.poll({ cursor: cursor.value, signal, now });
          const count = await this.store(poller, polled.events);
          span.setAttributes({ 'ledgerlink.poll.found': polled.events.length, 'ledgerlink.poll.stored': count });
          return { result: polled, stored: count };
        },
      );
      const finished = this.options.now();
      await this.finish(
        name,
        { cursor: result.cursor, next_run_at: nextRunAt(poller, finished), last_run_at: finished, last_error: null },
        true,
      );
      if (stored > 0) this.options.onStored?.();
      return { poller: name, found: result.events.length, stored };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.options.logger.warn({ poller: name, system: poller.system, err: message }, 'poll failed; will try again');
      await this.finish(name, {
        next_run_at: retryAt(poller, this.options.now()),
        last_error: message.slice(0, 2_000),
      });
      return { poller: name, found: 0, stored: 0, error: message };
    }
  }

  private async store(poller: PollerDefinition, events: readonly PolledEvent[]): Promise<number> {
    if (events.length === 0) return 0;
    const now = this.options.now();
    const rows: NewInboxEvent[] = events.map((event) => {
      const id = newId('evt', now);
      return {
        id,
        system: poller.system,
        dedupeKey: event.dedupeKey,
        eventType: event.eventType,
        receivedAt: now,
        correlationId: event.correlationId ?? id.replace(/^evt_/, 'cor_'),
        contentType: 'application/json',
        payload: stringifyJson(event.payload),
        headers: JSON.stringify({ 'x-ledgerlink-poller': poller.name }),
        traceContext: activeTraceparent() ?? null,
      };
    });
    const results = await this.options.store.insertInboxBatch(rows);
    return results.filter((r) => !r.duplicate).length;
  }

  /** Moves the schedule on and gives the lease back, only while this worker still holds it. */
  private async finish(
    name: string,
    changes: { cursor?: string | null; next_run_at: number; last_run_at?: number; last_error: string | null },
    counted = false,
  ): Promise<void> {
    const now = this.options.now();
    await this.options.store.writeTransaction(async (tx) => {
      await tx
        .updateTable('schedules')
        .set((eb) => ({
          ...changes,
          lease_owner: null,
          lease_until: null,
          updated_at: now,
          runs: counted ? eb('runs', '+', 1) : eb.ref('runs'),
        }))
        .where('name', '=', name)
        .where('lease_owner', '=', this.options.owner)
        .execute();
    });
  }
}
