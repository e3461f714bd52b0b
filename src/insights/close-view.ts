/**
 * The close view of one legal entity and period (YYYY-MM): what was approved by the period's end and
 * not posted by then (the accrual view: per process and currency, the number of documents and their
 * exact decimal sum), the period-end accrual run with the journal entries it posted and reversed, and
 * the reconciliations kept for the entity over the period.
 *
 * "Approved, not posted" follows the period-end accrual's own rule (hub/accrual-source.ts): per
 * source document its latest run approved before the end, left out when ignored, when it has no
 * amount, or when any run of the document posted before the end. Read in two indexed steps: the runs
 * not posted (partial index `runs_unposted`) or posted after the end (`runs_posted_at`), then every
 * run of those documents.
 */
import { Decimal } from 'decimal.js';
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';
import { LedgerlinkError } from '../canonical/errors.js';
import { formatIn } from './reconciliation/compare.js';

export interface UnpostedTotal {
  readonly process: string;
  readonly currency: string;
  readonly documents: number;
  readonly amount: string;
}

export interface ReconciliationSummary {
  readonly id: string;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly from: string;
  readonly to: string;
  readonly entity: string | null;
  readonly counts: Readonly<Record<string, number>>;
}

const PERIOD = /^(\d{4})-(0[1-9]|1[0-2])$/;
const CHUNK = 200;

/** The first and last day of a period and its end (the next period's first instant, UTC). */
export function periodDays(period: string): { first: string; last: string; startMs: number; endMs: number } {
  const match = PERIOD.exec(period);
  if (match === null)
    throw new LedgerlinkError('LL_ERR_BAD_REQUEST', `The period ${period} is not YYYY-MM`, {
      details: [{ path: 'period', message: 'YYYY-MM' }],
    });
  const startMs = Date.UTC(Number(match[1]), Number(match[2]) - 1, 1);
  const endMs = Date.UTC(Number(match[1]), Number(match[2]), 1);
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return { first: day(startMs), last: day(endMs - 86_400_000), startMs, endMs };
}

/** Approved by the period's end and not posted by then, per process and currency, for one entity. */
export async function unpostedAtPeriodEnd(
  db: Kysely<Database>,
  entity: string,
  period: string,
  flows: readonly string[],
): Promise<UnpostedTotal[]> {
  const { endMs } = periodDays(period);
  if (flows.length === 0) return [];
  const candidatesOf = (posted: 'unposted' | 'posted after') => {
    const q = db
      .selectFrom('runs')
      .select(['system', 'document_id'])
      .where('entity', '=', entity)
      .where('flow', 'in', [...flows])
      .where('approved_at', '<', endMs);
    return (posted === 'unposted' ? q.where('posted_at', 'is', null) : q.where('posted_at', '>=', endMs)).execute();
  };
  const seen = new Set<string>();
  const candidates = [...(await candidatesOf('unposted')), ...(await candidatesOf('posted after'))].filter((c) => {
    const key = `${c.system}\u0000${c.document_id}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
  const totals = new Map<string, { process: string; currency: string; documents: number; sum: Decimal }>();
  for (let i = 0; i < candidates.length; i += CHUNK) {
    const chunk = candidates.slice(i, i + CHUNK);
    const rows = await db
      .selectFrom('runs')
      .select([
        'flow',
        'system',
        'document_id',
        'status',
        'entity',
        'amount',
        'currency',
        'posted_at',
        'created_at',
        'id',
      ])
      .where('flow', 'in', [...flows])
      .where('approved_at', '<', endMs)
      .where((eb) =>
        eb.or(chunk.map((c) => eb.and([eb('system', '=', c.system), eb('document_id', '=', c.document_id)]))),
      )
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    const latest = new Map<string, (typeof rows)[number]>();
    const postedBefore = new Set<string>();
    for (const row of rows) {
      const key = `${row.flow}\u0000${row.system}\u0000${row.document_id}`;
      latest.set(key, row);
      if (row.posted_at !== null && Number(row.posted_at) < endMs) postedBefore.add(key);
    }
    for (const [key, row] of latest) {
      if (row.status === 'ignored' || row.entity !== entity || row.amount === null || row.currency === null) continue;
      if (postedBefore.has(key)) continue;
      const group = `${row.flow}\u0000${row.currency}`;
      const total = totals.get(group) ?? {
        process: row.flow,
        currency: row.currency,
        documents: 0,
        sum: new Decimal(0),
      };
      total.documents++;
      total.sum = total.sum.plus(row.amount);
      totals.set(group, total);
    }
  }
  return [...totals.values()]
    .map((t) => ({
      process: t.process,
      currency: t.currency,
      documents: t.documents,
      amount: formatIn(t.currency, t.sum),
    }))
    .sort((a, b) => a.process.localeCompare(b.process) || a.currency.localeCompare(b.currency));
}

/** The period-end accrual run of a period (the latest, should there be several ERPs), if any. */
export async function accrualRunOf(db: Kysely<Database>, period: string) {
  return db
    .selectFrom('runs')
    .select(['id', 'status', 'correlation_id', 'created_at'])
    .where('flow', '=', 'period-end-accrual')
    .where('document_id', '=', period)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** The reconciliations kept for the entity (or for every entity) whose dates overlap the period, newest first. */
export async function reconciliationsOf(
  db: Kysely<Database>,
  entity: string,
  period: string,
  limit = 20,
): Promise<ReconciliationSummary[]> {
  const { first, last } = periodDays(period);
  const rows = await db
    .selectFrom('reconciliations')
    .select(['id', 'created_at', 'created_by', 'period_from', 'period_to', 'entity', 'counts'])
    .where('period_from', '<=', last)
    .where('period_to', '>=', first)
    .where((eb) => eb.or([eb('entity', '=', entity), eb('entity', 'is', null)]))
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    createdAt: new Date(Number(r.created_at)).toISOString(),
    createdBy: r.created_by,
    from: r.period_from,
    to: r.period_to,
    entity: r.entity,
    counts: JSON.parse(r.counts) as Record<string, number>,
  }));
}
