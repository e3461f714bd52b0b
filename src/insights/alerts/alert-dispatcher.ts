/**
 * Outbound alerts for exceptions, durable and retried. Each cycle:
 * 1. new exceptions: reads open exceptions not yet considered (`alerted_at` null) from the cursor in
 *    `alert_cursors` (created_at, less a look-back for late commits), queues one `new_exception`
 *    delivery per matching route, marks each exception and moves the cursor — one transaction;
 * 2. SLA breaches: per configured (process, class), open exceptions older than the SLA in force (the
 *    close window tightens it) and not yet alerted get one `sla_breach` delivery per route, marked;
 * 3. delivery: due deliveries are claimed (their next attempt pushed out by a lease), handed to the
 *    injected sender, and recorded as delivered, retried with full-jitter backoff, or failed after
 *    `maxAttempts`. (Also: an `agent_gone` delivery for an on-premises agent gone past its threshold,
 *    see agent-gone-alerts.ts.) The unique (exception, kind, route) key and the markers mean a restart neither
 *    loses nor repeats an alert; a delivery lost mid-send is sent again with the same id.
 * A route matches an exception with the route's owner and, when it names classes, one of them.
 */
import { retryDelayMs, type BackoffPolicy } from '../../engine/backoff.js';
import type { EngineLogger } from '../../engine/engine-deps.js';
import type { SlaPolicy } from './sla-policy.js';
import { queueAgentGoneAlerts, type AgentGoneRule } from './agent-gone-alerts.js';
import { queueAlertDelivery } from './alert-delivery-queue.js';
import type { Store, Tx } from '../../store/port.js';
import type { Database } from '../../store/schema.js';

export interface AlertRoute {
  /** Stable key of the route (the delivery rows name it). */
  readonly key: string;
  readonly owner: string;
  readonly classes?: readonly string[];
}

export interface AlertMessage {
  /** The delivery id: the same on every attempt (Standard Webhooks `webhook-id`). */
  readonly id: string;
  readonly route: string;
  /** The JSON body to send. */
  readonly body: string;
  readonly attempt: number;
}

/** Sends one alert; resolves when the receiver accepted it, throws otherwise. */
export type AlertSender = (message: AlertMessage) => Promise<void>;

export interface AlertDispatcherOptions {
  readonly store: Store;
  readonly routes: readonly AlertRoute[];
  readonly sla: SlaPolicy;
  readonly send: AlertSender;
  readonly now?: () => number;
  readonly logger?: EngineLogger;
  readonly backoff?: BackoffPolicy;
  readonly maxAttempts?: number;
  /** Applied to every text of the alert before it is stored and sent (card number masking). */
  readonly mask?: (text: string) => string;
  readonly batch?: number;
  /** How long a claimed delivery is held before another worker may send it again. */
  readonly leaseMs?: number;
  /** Time between cycles (the scheduler's interval). */
  readonly intervalMs?: number;
  /** On-premises agents to alert about when gone longer than their threshold. */
  readonly agentsGone?: readonly AgentGoneRule[];
}

type ExceptionRow = Pick<
  Database['exceptions'],
  'id' | 'run_id' | 'class' | 'owner' | 'process' | 'entity' | 'code' | 'message' | 'created_at'
>;
const exceptionColumns = [
  'id',
  'run_id',
  'class',
  'owner',
  'process',
  'entity',
  'code',
  'message',
  'created_at',
] as const;

const CURSOR = 'exceptions';
/** Exceptions committed up to this late behind the cursor are still found. */
const LOOK_BACK_MS = 5 * 60_000;

export class AlertDispatcher {
  private readonly o: AlertDispatcherOptions;
  private readonly now: () => number;

  constructor(options: AlertDispatcherOptions) {
    this.o = options;
    this.now = options.now ?? Date.now;
  }

  /** How often the hub's scheduler runs a cycle; undefined when no route is configured. */
  get intervalMs(): number | undefined {
    return this.o.routes.length === 0 ? undefined : (this.o.intervalMs ?? 1_000);
  }

  /** One full cycle: queue new and breached alerts, deliver what is due. Answers deliveries attempted. */
  async runOnce(): Promise<{ queued: number; attempted: number }> {
    const queued =
      (await this.queueNewExceptions()) +
      (await this.queueSlaBreaches()) +
      (await queueAgentGoneAlerts(this.o.store, this.o.agentsGone ?? [], this.o.routes, this.now()));
    return { queued, attempted: await this.deliverDue() };
  }

  private routesFor(e: ExceptionRow): AlertRoute[] {
    return this.o.routes.filter((r) => r.owner === e.owner && (r.classes === undefined || r.classes.includes(e.class)));
  }

  private payload(kind: 'new_exception' | 'sla_breach', e: ExceptionRow, now: number): string {
    const mask = this.o.mask ?? ((t: string) => t);
    const createdAt = Number(e.created_at);
    const slaMs = this.o.sla.slaMs(e.process, e.class, now);
    const window = this.o.sla.window(now);
    return JSON.stringify({
      type: kind === 'new_exception' ? 'exception.created' : 'exception.sla_breached',
      timestamp: new Date(now).toISOString(),
      data: {
        exceptionId: e.id,
        runId: e.run_id,
        class: e.class,
        owner: e.owner,
        process: e.process,
        entity: e.entity,
        code: e.code,
        message: mask(e.message),
        createdAt: new Date(createdAt).toISOString(),
        ...(kind === 'sla_breach'
          ? {
              slaMinutes: slaMs === undefined ? null : slaMs / 60_000,
              openMinutes: Math.floor((now - createdAt) / 60_000),
              closeWindow: window,
            }
          : {}),
      },
    });
  }

  private async queue(tx: Tx, kind: 'new_exception' | 'sla_breach', e: ExceptionRow, now: number): Promise<number> {
    let queued = 0;
    for (const route of this.routesFor(e)) {
      queued += await queueAlertDelivery(tx, {
        exceptionId: e.id,
        kind,
        route,
        payload: this.payload(kind, e, now),
        now,
      });
    }
    return queued;
  }

  private async queueNewExceptions(): Promise<number> {
    const { store } = this.o;
    return store.writeTransaction(async (tx) => {
      const now = this.now();
      await tx
        .insertInto('alert_cursors')
        .values({ name: CURSOR, created_at: 0, exception_id: '' })
        .onConflict((oc) => oc.column('name').doNothing())
        .execute();
      let cursorQuery = tx
        .selectFrom('alert_cursors')
        .select(['created_at', 'exception_id'])
        .where('name', '=', CURSOR);
      if (store.dialect === 'postgres') cursorQuery = cursorQuery.forUpdate();
      const cursor = await cursorQuery.executeTakeFirstOrThrow();
      const rows = await tx
        .selectFrom('exceptions')
        .select(exceptionColumns)
        .where('status', '=', 'open')
        .where('alerted_at', 'is', null)
        .where('created_at', '>=', Math.max(0, Number(cursor.created_at) - LOOK_BACK_MS))
        .orderBy('created_at')
        .orderBy('id')
        .limit(this.o.batch ?? 200)
        .execute();
      let queued = 0;
      for (const e of rows) {
        queued += await this.queue(tx, 'new_exception', e, now);
        await tx
          .updateTable('exceptions')
          .set({ alerted_at: now })
          .where('id', '=', e.id)
          .where('alerted_at', 'is', null)
          .execute();
      }
      const last = rows[rows.length - 1];
      if (last !== undefined && Number(last.created_at) >= Number(cursor.created_at)) {
        await tx
          .updateTable('alert_cursors')
          .set({ created_at: Number(last.created_at), exception_id: last.id })
          .where('name', '=', CURSOR)
          .execute();
      }
      return queued;
    });
  }

  private async queueSlaBreaches(): Promise<number> {
    const { store, sla } = this.o;
    let queued = 0;
    for (const entry of sla.entries()) {
      queued += await store.writeTransaction(async (tx) => {
        const now = this.now();
        const slaMs = sla.slaMs(entry.process, entry.exceptionClass, now)!;
        const rows = await tx
          .selectFrom('exceptions')
          .select(exceptionColumns)
          .where('status', '=', 'open')
          .where('sla_alerted_at', 'is', null)
          .where('process', '=', entry.process)
          .where('class', '=', entry.exceptionClass)
          .where('created_at', '<=', now - slaMs)
          .orderBy('created_at')
          .limit(this.o.batch ?? 200)
          .execute();
        let n = 0;
        for (const e of rows) {
          n += await this.queue(tx, 'sla_breach', e, now);
          await tx
            .updateTable('exceptions')
            .set({ sla_alerted_at: now })
            .where('id', '=', e.id)
            .where('sla_alerted_at', 'is', null)
            .execute();
        }
        return n;
      });
    }
    return queued;
  }

  private async claimDue(): Promise<Pick<Database['alert_deliveries'], 'id' | 'route' | 'payload' | 'attempts'>[]> {
    const { store } = this.o;
    return store.writeTransaction(async (tx) => {
      const now = this.now();
      let query = tx
        .selectFrom('alert_deliveries')
        .select(['id', 'route', 'payload', 'attempts'])
        .where('status', '=', 'pending')
        .where('next_attempt_at', '<=', now)
        .orderBy('next_attempt_at')
        .limit(this.o.batch ?? 50);
      if (store.dialect === 'postgres') query = query.forUpdate().skipLocked();
      const due = await query.execute();
      if (due.length > 0) {
        await tx
          .updateTable('alert_deliveries')
          .set({ next_attempt_at: now + (this.o.leaseMs ?? 60_000), updated_at: now })
          .where(
            'id',
            'in',
            due.map((d) => d.id),
          )
          .execute();
      }
      return due;
    });
  }

  private async deliverDue(): Promise<number> {
    const due = await this.claimDue();
    await Promise.all(due.map((d) => this.deliver(d)));
    return due.length;
  }

  private async deliver(d: Pick<Database['alert_deliveries'], 'id' | 'route' | 'payload' | 'attempts'>): Promise<void> {
    const attempt = Number(d.attempts) + 1;
    let failure: string | undefined;
    try {
      await this.o.send({ id: d.id, route: d.route, body: d.payload, attempt });
    } catch (error) {
      failure = (error instanceof Error ? error.message : String(error)).slice(0, 500);
    }
    const now = this.now();
    const maxAttempts = this.o.maxAttempts ?? 10;
    const changes =
      failure === undefined
        ? { status: 'delivered', attempts: attempt, delivered_at: now, last_error: null, updated_at: now }
        : attempt >= maxAttempts
          ? { status: 'failed', attempts: attempt, last_error: failure, updated_at: now }
          : {
              attempts: attempt,
              last_error: failure,
              next_attempt_at: now + retryDelayMs(attempt, this.o.backoff ?? { baseMs: 1_000, capMs: 5 * 60_000 }),
              updated_at: now,
            };
    if (failure !== undefined) this.o.logger?.warn({ delivery: d.id, attempt, err: failure }, 'alert delivery failed');
    await this.o.store.writeTransaction(async (tx) => {
      await tx
        .updateTable('alert_deliveries')
        .set(changes)
        .where('id', '=', d.id)
        .where('status', '=', 'pending')
        .execute();
    });
  }
}
