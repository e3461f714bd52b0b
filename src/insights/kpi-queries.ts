/**
 * The business figures of `GET /v1/kpis`, read from the store with the same SQL on both dialects:
 * postings by process, entity and status; documents posted per hour over the last day; success rate
 * by process and by entity; approval → posting and posting → payment
 * latency (nearest-rank p50 and p95, picked in SQL with ORDER BY … OFFSET, so exact); exceptions by
 * class and owner (open, created in the window, past their SLA); queue depth; pollers' state and
 * paused connectors; the close window; alert deliveries. The window is [from 00:00, to 24:00) UTC; default the last 30 days.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../store/schema.js';
import { parsePeriod } from './reconciliation/store.js';
import type { CloseWindow, SlaPolicy } from './alerts/sla-policy.js';
import { isoTime } from '../canonical/time.js';
import type { Store } from '../store/port.js';

export interface KpiRequest {
  readonly from?: string;
  readonly to?: string;
  readonly entity?: string;
  readonly now: number;
  readonly sla: SlaPolicy;
}

export interface Latency {
  readonly count: number;
  readonly p50Ms: number | null;
  readonly p95Ms: number | null;
}

const n = sql<number>`count(*)`.as('n');
const DAY_MS = 86_400_000;

/** The nearest-rank percentile of `expr` over the rows `base` selects. */
async function percentile(
  db: Kysely<Database>,
  where: (q: ReturnType<typeof runsIn>) => ReturnType<typeof runsIn>,
  expr: ReturnType<typeof sql<number>>,
  total: number,
  p: number,
): Promise<number | null> {
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * total));
  const row = await where(runsIn(db))
    .select(expr.as('v'))
    .orderBy(expr)
    .limit(1)
    .offset(rank - 1)
    .executeTakeFirst();
  return row === undefined ? null : Number(row.v);
}

const runsIn = (db: Kysely<Database>) => db.selectFrom('runs');

async function latency(
  db: Kysely<Database>,
  end: 'posted_at' | 'paid_at',
  start: 'approved_at' | 'posted_at',
  window: { fromMs: number; toMs: number },
  entity: string | undefined,
): Promise<Latency> {
  const where = (q: ReturnType<typeof runsIn>) => {
    let out = q.where(start, 'is not', null).where(end, '>=', window.fromMs).where(end, '<', window.toMs);
    if (entity !== undefined) out = out.where('entity', '=', entity);
    return out;
  };
  const expr = sql<number>`${sql.ref(end)} - ${sql.ref(start)}`;
  const count = Number((await where(runsIn(db)).select(n).executeTakeFirst())?.n ?? 0);
  return {
    count,
    p50Ms: await percentile(db, where, expr, count, 50),
    p95Ms: await percentile(db, where, expr, count, 95),
  };
}

const FINISHED = ['succeeded', 'exception', 'resolved', 'ignored'];
const HOUR_MS = 3_600_000;

/** Documents posted in each of the last 24 hours (UTC hours, the current one included), by process. */
async function postedPerHour(db: Kysely<Database>, now: number, entity: string | undefined) {
  const since = Math.floor(now / HOUR_MS) * HOUR_MS - 23 * HOUR_MS;
  const bucket = sql<number>`(posted_at / ${sql.lit(HOUR_MS)}) * ${sql.lit(HOUR_MS)}`;
  let q = db
    .selectFrom('runs')
    .select(['flow', bucket.as('hour'), n])
    .where('posted_at', '>=', since);
  if (entity !== undefined) q = q.where('entity', '=', entity);
  const rows = await q.groupBy(['flow', bucket]).orderBy('hour').orderBy('flow').execute();
  return rows.map((r) => ({ hour: new Date(Number(r.hour)).toISOString(), process: r.flow, count: Number(r.n) }));
}

async function postings(db: Kysely<Database>, window: { fromMs: number; toMs: number }, entity: string | undefined) {
  let q = db
    .selectFrom('runs')
    .select(['flow', 'entity', 'status', n])
    .where('created_at', '>=', window.fromMs)
    .where('created_at', '<', window.toMs);
  if (entity !== undefined) q = q.where('entity', '=', entity);
  const rows = await q
    .groupBy(['flow', 'entity', 'status'])
    .orderBy('flow')
    .orderBy('entity')
    .orderBy('status')
    .execute();
  const byProcess = rows.map((r) => ({ process: r.flow, entity: r.entity, status: r.status, count: Number(r.n) }));
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
      postedPerHour(db, request.now, request.entity),
      latency(db, 'posted_at', 'approved_at', window, request.entity),
      latency(db, 'paid_at', 'posted_at', window, request.entity),
      latency(db, 'paid_at', 'approved_at', window, request.entity),
      exceptionFigures(db, request, window),
      operations(db),
    ],
  );
  const closeWindow: CloseWindow | null = request.sla.window(request.now);
  return {
    window: { from, to, entity: request.entity ?? null },
    ...posting,
    postedPerHour: perHour,
    latency: { approvalToPosting, postingToPayment, approvalToPayment },
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
