/**
 * The close view of one legal entity and period (YYYY-MM): what was approved by the period's end and
 * not posted by then (the accrual view: per process and currency, the number of documents and their
 * exact decimal sum), the period-end accrual run with the journal entries it posted and reversed, and
 * the reconciliations kept for the entity over the period.
 *
 * "Approved, not posted" follows the period-end accrual's own rule (hub/accrual-source.ts): per
 * source document its latest run approved before the end, left out when ignored, when it has no
 * amount, or when any run of the document posted before the end. One query for the runs not posted
 * (partial index `runs_unposted`), one for those posted after the end (`runs_posted_at`), each run
 * checked against the other runs of its document (`runs_document`).
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
  // The runs that are their document's latest approved before the end, in the entity, not ignored, with
  // an amount, and no run of the document approved and posted before the end: not posted, or posted after.
  const latestUnposted = (posted: 'unposted' | 'posted after') => {
    const q = db
      .selectFrom('runs as c')
      .select(['c.flow', 'c.amount', 'c.currency'])
      .where('c.entity', '=', entity)
      .where('c.approved_at', '<', endMs)
      .where('c.flow', 'in', [...flows])
      .where('c.status', '<>', 'ignored')
      .where('c.amount', 'is not', null)
      .where('c.currency', 'is not', null)
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('runs as o')
              .select('o.id')
              .whereRef('o.system', '=', 'c.system')
              .whereRef('o.document_id', '=', 'c.document_id')
              .whereRef('o.flow', '=', 'c.flow')
              .where('o.approved_at', '<', endMs)
              .where((o) =>
                o.or([
                  o('o.posted_at', '<', endMs),
                  o('o.created_at', '>', o.ref('c.created_at')),
                  o.and([o('o.created_at', '=', o.ref('c.created_at')), o('o.id', '>', o.ref('c.id'))]),
                ]),
              ),
          ),
        ),
      );
    return (posted === 'unposted' ? q.where('c.posted_at', 'is', null) : q.where('c.posted_at', '>=', endMs)).execute();
  };
  const totals = new Map<string, { process: string; currency: string; documents: number; sum: Decimal }>();
  for (const row of [...(await latestUnposted('unposted')), ...(await latestUnposted('posted after'))]) {
    if (row.amount === null || row.currency === null) continue;
    const group = `${row.flow}\u0000${row.currency}`;
    const total = totals.get(group) ?? { process: row.flow, currency: row.currency, documents: 0, sum: new Decimal(0) };
    total.documents++;
    total.sum = total.sum.plus(row.amount);
    totals.set(group, total);
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
