/**
 * The business figures of `GET /v1/kpis`, read from the store with the same SQL on both dialects:
 * postings by process, entity and status; documents posted per hour over the last day; success rate
 * by process and by entity; approval → posting and posting → payment latency (exact nearest-rank
 * p50 and p95 over the window, and per day) — these from the rollups triggers keep
 * (kpi-rollups.ts, migration 12), not from every run of the window; exceptions by
 * class and owner (open, created in the window, past their SLA); queue depth; pollers' state and
 * paused connectors; the close window; alert deliveries. The window is [from 00:00, to 24:00) UTC; default the last 30 days.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../store/schema.js';
import { parsePeriod } from './reconciliation/store.js';
import type { CloseWindow, SlaPolicy } from './alerts/sla-policy.js';
import { isoTime } from '../canonical/time.js';
import type { Store } from '../store/port.js';
import { rolledUpLatency, rolledUpPostedPerHour, rolledUpPostings } from './kpi-rollups.js';

export type { Latency } from './kpi-rollups.js';

export interface KpiRequest {
  readonly from?: string;
  readonly to?: string;
  readonly entity?: string;
  readonly now: number;
  readonly sla: SlaPolicy;
}

const n = sql<number>`count(*)`.as('n');
const DAY_MS = 86_400_000;
const FINISHED = ['succeeded', 'exception', 'resolved', 'ignored'];

async function postings(db: Kysely<Database>, window: { fromMs: number; toMs: number }, entity: string | undefined) {
  const byProcess = await rolledUpPostings(db, window, entity);
  const rate = (list: typeof byProcess) => {
    const finished = list.filter((r) => FINISHED.includes(r.status)).reduce((s, r) => s + r.count, 0);
    const succeeded = list.filter((r) => r.status === 'succeeded').reduce((s, r) => s + r.count, 0);
    return { succeeded, finished, rate: finished === 0 ? null : Math.round((succeeded / finished) * 10_000) / 10_000 };
  };
  const processes = [...new Set(byProcess.map((r) => r.process))];
  const entities = [...new Set(byProcess.map((r) => r.entity))];
  return {
    postings: byProcess,
    successRate: {
      overall: rate(byProcess),
      byProcess: processes.map((process) => ({ process, ...rate(byProcess.filter((r) => r.process === process)) })),
      byEntity: entities.map((e) => ({ entity: e, ...rate(byProcess.filter((r) => r.entity === e)) })),
    },
  };
}

async function exceptionFigures(db: Kysely<Database>, request: KpiRequest, window: { fromMs: number; toMs: number }) {
  const filtered = () => {
    const q = db.selectFrom('exceptions');
    return request.entity === undefined ? q : q.where('entity', '=', request.entity);
  };
  const [open, created] = await Promise.all([
    filtered().select(['class', 'owner', n]).where('status', '=', 'open').groupBy(['class', 'owner']).execute(),
    filtered()
      .select(['class', 'owner', n])
      .where('created_at', '>=', window.fromMs)
      .where('created_at', '<', window.toMs)
      .groupBy(['class', 'owner'])
      .execute(),
  ]);
  const breached: { class: string; owner: string; n: number }[] = [];
  for (const entry of request.sla.entries()) {
    const slaMs = request.sla.slaMs(entry.process, entry.exceptionClass, request.now)!;
    const rows = await filtered()
      .select(['class', 'owner', n])
      .where('status', '=', 'open')
      .where('process', '=', entry.process)
      .where('class', '=', entry.exceptionClass)
      .where('created_at', '<=', request.now - slaMs)
      .groupBy(['class', 'owner'])
      .execute();
    breached.push(...rows.map((r) => ({ class: r.class, owner: r.owner, n: Number(r.n) })));
  }
  const groups = new Map<
    string,
    { class: string; owner: string; open: number; createdInWindow: number; slaBreached: number }
  >();
  const group = (c: string, owner: string) => {
    const key = `${c}\u0000${owner}`;
    let g = groups.get(key);
    if (g === undefined) groups.set(key, (g = { class: c, owner, open: 0, createdInWindow: 0, slaBreached: 0 }));
    return g;
  };
  for (const r of open) group(r.class, r.owner).open += Number(r.n);
  for (const r of created) group(r.class, r.owner).createdInWindow += Number(r.n);
  for (const r of breached) group(r.class, r.owner).slaBreached += r.n;
  return [...groups.values()].sort((a, b) => a.class.localeCompare(b.class) || a.owner.localeCompare(b.owner));
}

async function operations(db: Kysely<Database>) {
  const [jobs, inbox, schedules, paused, alerts, failing] = await Promise.all([
    db.selectFrom('jobs').select(['status', n]).groupBy('status').orderBy('status').execute(),
    db.selectFrom('inbox_events').select(n).where('status', '=', 'received').executeTakeFirst(),
    db.selectFrom('schedules').selectAll().orderBy('name').execute(),
    db
      .selectFrom('connector_states')
      .select(['system', 'status', 'since', 'reason'])
      .where('status', '=', 'paused')
      .orderBy('system')
      .execute(),
    db.selectFrom('alert_deliveries').select(['status', n]).groupBy('status').orderBy('status').execute(),
    db
      .selectFrom('alert_deliveries')
      .select(['id', 'owner', 'kind', 'exception_id', 'status', 'attempts', 'last_error', 'next_attempt_at'])
      .where((eb) =>
        eb.or([eb('status', '=', 'failed'), eb.and([eb('status', '=', 'pending'), eb('attempts', '>', 0)])]),
      )
      .orderBy('updated_at', 'desc')
      .limit(20)
      .execute(),
  ]);
  return {
    queue: {
      jobsByStatus: Object.fromEntries(jobs.map((r) => [r.status, Number(r.n)])),
      inboxPending: Number(inbox?.n ?? 0),
    },
    connectors: {
      pollers: schedules.map((s) => ({
        name: s.name,
        lastRunAt: isoTime(s.last_run_at),
        nextRunAt: isoTime(s.next_run_at),
        lastError: s.last_error,
        runs: Number(s.runs),
      })),
      paused: paused.map((c) => ({ system: c.system, since: isoTime(c.since), reason: c.reason })),
    },
    alerts: {
      deliveriesByStatus: Object.fromEntries(alerts.map((r) => [r.status, Number(r.n)])),
      failing: failing.map((d) => ({
        id: d.id,
        owner: d.owner,
        kind: d.kind,
        exceptionId: d.exception_id,
        status: d.status,
        attempts: Number(d.attempts),
        lastError: d.last_error,
        nextAttemptAt: isoTime(d.next_attempt_at),
      })),
    },
  };
}

export async function readKpis(db: Kysely<Database>, request: KpiRequest) {
  const today = new Date(request.now).toISOString().slice(0, 10);
  const to = request.to ?? today;
  const from = request.from ?? new Date(Date.parse(`${to}T00:00:00Z`) - 29 * DAY_MS).toISOString().slice(0, 10);
  const window = parsePeriod(from, to);
  const [posting, perHour, approvalToPosting, postingToPayment, approvalToPayment, exceptions, ops] = await Promise.all(
    [
      postings(db, window, request.entity),
      rolledUpPostedPerHour(db, request.now, request.entity),
      rolledUpLatency(db, 'approval_posting', window, request.entity),
      rolledUpLatency(db, 'posting_payment', window, request.entity),
      rolledUpLatency(db, 'approval_payment', window, request.entity),
      exceptionFigures(db, request, window),
      operations(db),
    ],
  );
  const closeWindow: CloseWindow | null = request.sla.window(request.now);
  return {
    window: { from, to, entity: request.entity ?? null },
    ...posting,
    postedPerHour: perHour,
    latency: {
      approvalToPosting: approvalToPosting.overall,
      postingToPayment: postingToPayment.overall,
      approvalToPayment: approvalToPayment.overall,
    },
    latencyOverTime: { approvalToPosting: approvalToPosting.perDay, postingToPayment: postingToPayment.perDay },
    exceptions,
    ...ops,
    closeWindow: closeWindow === null ? { active: false } : { active: true, ...closeWindow },
  };
}

export type Kpis = Awaited<ReturnType<typeof readKpis>>;

/** The figures of `readKpis` over a store. */
export function kpisOf(store: Store, request: KpiRequest) {
  return readKpis(store.db, request);
}
