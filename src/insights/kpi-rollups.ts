/**
 * The KPI figures that count runs, read from the rollups migration 12 keeps (triggers on `runs`, in
 * the same transaction as every write, so the rollups are never behind and there is no tail to add):
 * postings by process, entity and status; documents posted per hour; latencies.
 *
 * Latency percentiles are the exact nearest-rank values the runs give: the histogram (exact below
 * 1 s, three significant digits above) says which bucket holds the rank and how many values lie
 * below it; when that bucket ever held one value only, that is the answer, otherwise one read of the
 * runs in that bucket (indexed on the latency itself, `runs_latency_<measure>`) picks it. The figures
 * per day (`overTime`) are read from the histogram alone: exact when the bucket held one value,
 * otherwise to three significant digits (never outside the lowest and highest value counted).
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../store/schema.js';

export interface Latency {
  readonly count: number;
  readonly p50Ms: number | null;
  readonly p95Ms: number | null;
}

export interface DayLatency extends Latency {
  /** The UTC day, YYYY-MM-DD. */
  readonly day: string;
}

export type Measure = 'approval_posting' | 'posting_payment' | 'approval_payment';

const COLUMNS: Record<Measure, { start: 'approved_at' | 'posted_at'; end: 'posted_at' | 'paid_at' }> = {
  approval_posting: { start: 'approved_at', end: 'posted_at' },
  posting_payment: { start: 'posted_at', end: 'paid_at' },
  approval_payment: { start: 'approved_at', end: 'paid_at' },
};

export interface Window {
  readonly fromMs: number;
  readonly toMs: number;
}

const HOUR_MS = 3_600_000;
const total = sql<number>`sum(n)`;

/** The value range [lo, hi) of a histogram bucket (see latencyBucketSql in migration 12). */
export function bucketBounds(bucket: number): { lo: number; hi: number } {
  if (bucket < 0) return { lo: Number.NEGATIVE_INFINITY, hi: 0 };
  if (bucket < 1000) return { lo: bucket, hi: bucket + 1 };
  const scale = 10 ** (Math.floor(bucket / 1000) - 3);
  const leading = bucket % 1000;
  return { lo: leading * scale, hi: (leading + 1) * scale };
}

/** Runs by process, entity and status created in the window. */
export async function rolledUpPostings(db: Kysely<Database>, window: Window, entity: string | undefined) {
  let q = db
    .selectFrom('run_day_rollups')
    .select(['flow', 'entity', 'status', total.as('n')])
    .where('day', '>=', window.fromMs)
    .where('day', '<', window.toMs);
  if (entity !== undefined) q = q.where('entity', '=', entity);
  const rows = await q
    .groupBy(['flow', 'entity', 'status'])
    .having(total, '>', 0)
    .orderBy('flow')
    .orderBy('entity')
    .orderBy('status')
    .execute();
  return rows.map((r) => ({
    process: r.flow,
    entity: r.entity === '' ? null : r.entity,
    status: r.status,
    count: Number(r.n),
  }));
}

/** Documents posted in each of the last 24 hours (UTC hours, the current one included), by process. */
export async function rolledUpPostedPerHour(db: Kysely<Database>, now: number, entity: string | undefined) {
  const since = Math.floor(now / HOUR_MS) * HOUR_MS - 23 * HOUR_MS;
  let q = db
    .selectFrom('posted_hour_rollups')
    .select(['flow', 'hour', total.as('n')])
    .where('hour', '>=', since);
  if (entity !== undefined) q = q.where('entity', '=', entity);
  const rows = await q.groupBy(['flow', 'hour']).having(total, '>', 0).orderBy('hour').orderBy('flow').execute();
  return rows.map((r) => ({ hour: new Date(Number(r.hour)).toISOString(), process: r.flow, count: Number(r.n) }));
}

interface Bucket {
  readonly bucket: number;
  readonly n: number;
  readonly min: number;
  readonly max: number;
}

const rankOf = (count: number, p: number) => Math.max(1, Math.ceil((p / 100) * count));

/** The bucket holding the value of rank `rank` (1-based) and how many values lie in the buckets below. */
function bucketAt(buckets: readonly Bucket[], rank: number): { bucket: Bucket; below: number } {
  let below = 0;
  for (const bucket of buckets) {
    if (below + bucket.n >= rank) return { bucket, below };
    below += bucket.n;
  }
  throw new Error(`rank ${rank} is beyond the histogram's ${below} values`);
}

function merge(rows: readonly Bucket[]): Bucket[] {
  const byBucket = new Map<number, Bucket>();
  for (const r of rows) {
    const seen = byBucket.get(r.bucket);
    byBucket.set(
      r.bucket,
      seen === undefined
        ? r
        : { bucket: r.bucket, n: seen.n + r.n, min: Math.min(seen.min, r.min), max: Math.max(seen.max, r.max) },
    );
  }
  return [...byBucket.values()].sort((a, b) => a.bucket - b.bucket);
}

/** The histogram of a measure over the window, per day, read from the rollups. */
async function histogramPerDay(db: Kysely<Database>, measure: Measure, window: Window, entity: string | undefined) {
  let q = db
    .selectFrom('latency_rollups')
    .select([
      'day',
      'bucket',
      total.as('n'),
      sql<number>`min(min_ms)`.as('min_ms'),
      sql<number>`max(max_ms)`.as('max_ms'),
    ])
    .where('measure', '=', measure)
    .where('day', '>=', window.fromMs)
    .where('day', '<', window.toMs)
    .where('n', '>', 0);
  if (entity !== undefined) q = q.where('entity', '=', entity);
  const rows = await q.groupBy(['day', 'bucket']).orderBy('day').orderBy('bucket').execute();
  const days = new Map<number, Bucket[]>();
  for (const r of rows) {
    const day = Number(r.day);
    const list = days.get(day) ?? [];
    list.push({ bucket: Number(r.bucket), n: Number(r.n), min: Number(r.min_ms), max: Number(r.max_ms) });
    days.set(day, list);
  }
  return days;
}

/** The exact value of rank `rank` among the measure's runs in the window, reading the runs of one bucket. */
async function exactValue(
  db: Kysely<Database>,
  measure: Measure,
  window: Window,
  entity: string | undefined,
  buckets: readonly Bucket[],
  rank: number,
): Promise<number> {
  const { bucket, below } = bucketAt(buckets, rank);
  if (bucket.min === bucket.max) return bucket.min;
  const { start, end } = COLUMNS[measure];
  const value = sql<number>`${sql.ref(end)} - ${sql.ref(start)}`;
  const { lo, hi } = bucketBounds(bucket.bucket);
  let q = db
    .selectFrom('runs')
    .select(value.as('v'))
    .where(start, 'is not', null)
    .where(end, 'is not', null)
    .where(end, '>=', window.fromMs)
    .where(end, '<', window.toMs)
    .where(value, '<', hi);
  if (Number.isFinite(lo)) q = q.where(value, '>=', lo);
  if (entity !== undefined) q = q.where('entity', '=', entity);
  const row = await q
    .orderBy(value)
    .limit(1)
    .offset(rank - below - 1)
    .executeTakeFirst();
  if (row === undefined)
    throw new Error(`latency rollup ${measure} is out of step with the runs (bucket ${bucket.bucket})`);
  return Number(row.v);
}

/** Approximate value of a rank from the histogram alone (exact when the bucket held one value). */
function histogramValue(buckets: readonly Bucket[], rank: number): number {
  const { bucket } = bucketAt(buckets, rank);
  const { lo } = bucketBounds(bucket.bucket);
  return Math.min(bucket.max, Math.max(bucket.min, lo));
}

/** Nearest-rank p50 and p95 of a measure over the window (exact), and per day (from the histogram). */
export async function rolledUpLatency(
  db: Kysely<Database>,
  measure: Measure,
  window: Window,
  entity: string | undefined,
): Promise<{ overall: Latency; perDay: DayLatency[] }> {
  const days = await histogramPerDay(db, measure, window, entity);
  const buckets = merge([...days.values()].flat());
  const count = buckets.reduce((s, b) => s + b.n, 0);
  const overall: Latency =
    count === 0
      ? { count, p50Ms: null, p95Ms: null }
      : {
          count,
          p50Ms: await exactValue(db, measure, window, entity, buckets, rankOf(count, 50)),
          p95Ms: await exactValue(db, measure, window, entity, buckets, rankOf(count, 95)),
        };
  const perDay = [...days.entries()].map(([day, list]) => {
    const n = list.reduce((s, b) => s + b.n, 0);
    return {
      day: new Date(day).toISOString().slice(0, 10),
      count: n,
      p50Ms: histogramValue(list, rankOf(n, 50)),
      p95Ms: histogramValue(list, rankOf(n, 95)),
    };
  });
  return { overall, perDay };
}
