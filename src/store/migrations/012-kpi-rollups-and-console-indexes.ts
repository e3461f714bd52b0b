/**
 * Migration 12: the KPI rollups, so that `GET /v1/kpis` reads a few thousand counters instead of
 * every run of its window.
 *
 * - `run_day_rollups`: runs by the UTC day they were created, process, legal entity and status.
 * - `posted_hour_rollups`: runs by the UTC hour they posted, process and legal entity.
 * - `latency_rollups`: a latency histogram per measure (approval → posting, posting → payment,
 *   approval → payment), UTC day of the measure's end, legal entity and bucket: exact up to 999 ms,
 *   then three significant digits (bucket `digits * 1000 + first three digits`), with the lowest and
 *   highest value ever counted in it. Nearest-rank percentiles are exact: the histogram finds the
 *   bucket, one indexed read of the runs in that bucket finds the value (see insights/kpi-rollups.ts).
 *
 * Triggers on `runs` keep the three tables in the same transaction as every insert, every change of
 * the columns they count and every delete, whoever writes (flows, actions, tests, tools): there is
 * no tail left to roll up and nothing to catch up. A missing legal entity is counted under ''.
 * Two more indexes on `runs` serve the close view's approved-but-not-posted documents
 * (insights/close-view.ts): `runs_unposted` and `runs_posted_at`; two on `exceptions` let the
 * queue's pages (ordered by id) read in order for the usual filters (status, class, owner).
 * Existing runs are rolled up by the migration itself, after the triggers exist (on PostgreSQL
 * creating the triggers locks `runs` against writes until the migration commits).
 *
 * Numbered 12, not 11: 11 is taken by the agent calls table made in parallel. The runner applies
 * every listed version not yet recorded, whatever the order they reach a database in, so a
 * database that has 12 still gets 11 when a build with it arrives.
 */
import type { MigrationDefinition } from '../migration-runner.js';
import type { ColumnTypes } from './column-types.js';

export const kpiRollups: MigrationDefinition = { version: 12, name: 'kpi rollups and console indexes', statements };

const DAY = 86_400_000;
const HOUR = 3_600_000;

/** The latency measures: name, start column, end column (the end's day is the window's day). */
export const LATENCY_MEASURES = [
  ['approval_posting', 'approved_at', 'posted_at'],
  ['posting_payment', 'posted_at', 'paid_at'],
  ['approval_payment', 'approved_at', 'paid_at'],
] as const;

/** The histogram bucket of a latency (SQL text over `x`), same on both dialects. */
export function latencyBucketSql(x: string, t: ColumnTypes): string {
  const text = t.dialect === 'sqlite' ? `CAST(CAST(${x} AS INTEGER) AS TEXT)` : `CAST(${x} AS TEXT)`;
  return `(CASE WHEN ${x} < 0 THEN -1 WHEN ${x} < 1000 THEN ${x} ELSE length(${text}) * 1000 + CAST(substr(${text}, 1, 3) AS INTEGER) END)`;
}

const bucketOf = (column: string, size: number) => `((${column} / ${size}) * ${size})`;

/** The statements that add (sign +1) or take away (-1) one run row (`r` is NEW or OLD) from the rollups. */
function rowStatements(r: 'NEW' | 'OLD', sign: 1 | -1, t: ColumnTypes): string[] {
  const lowest = t.dialect === 'sqlite' ? 'min' : 'LEAST';
  const highest = t.dialect === 'sqlite' ? 'max' : 'GREATEST';
  const entity = `COALESCE(${r}.entity, '')`;
  if (sign === -1) {
    return [
      `UPDATE run_day_rollups SET n = n - 1 WHERE day = ${bucketOf(`${r}.created_at`, DAY)} AND flow = ${r}.flow AND entity = ${entity} AND status = ${r}.status`,
      `UPDATE posted_hour_rollups SET n = n - 1 WHERE ${r}.posted_at IS NOT NULL AND hour = ${bucketOf(`${r}.posted_at`, HOUR)} AND flow = ${r}.flow AND entity = ${entity}`,
      ...LATENCY_MEASURES.map(
        ([measure, start, end]) =>
          `UPDATE latency_rollups SET n = n - 1 WHERE ${r}.${start} IS NOT NULL AND ${r}.${end} IS NOT NULL AND measure = '${measure}' AND day = ${bucketOf(`${r}.${end}`, DAY)} AND entity = ${entity} AND bucket = ${latencyBucketSql(`(${r}.${end} - ${r}.${start})`, t)}`,
      ),
    ];
  }
  return [
    `INSERT INTO run_day_rollups (day, flow, entity, status, n) SELECT ${bucketOf(`${r}.created_at`, DAY)}, ${r}.flow, ${entity}, ${r}.status, 1 WHERE ${r}.created_at IS NOT NULL
      ON CONFLICT (day, flow, entity, status) DO UPDATE SET n = run_day_rollups.n + 1`,
    `INSERT INTO posted_hour_rollups (hour, flow, entity, n) SELECT ${bucketOf(`${r}.posted_at`, HOUR)}, ${r}.flow, ${entity}, 1 WHERE ${r}.posted_at IS NOT NULL
      ON CONFLICT (hour, flow, entity) DO UPDATE SET n = posted_hour_rollups.n + 1`,
    ...LATENCY_MEASURES.map(([measure, start, end]) => {
      const x = `(${r}.${end} - ${r}.${start})`;
      return `INSERT INTO latency_rollups (measure, day, entity, bucket, n, min_ms, max_ms)
        SELECT '${measure}', ${bucketOf(`${r}.${end}`, DAY)}, ${entity}, ${latencyBucketSql(x, t)}, 1, ${x}, ${x} WHERE ${r}.${start} IS NOT NULL AND ${r}.${end} IS NOT NULL
        ON CONFLICT (measure, day, entity, bucket) DO UPDATE SET n = latency_rollups.n + 1,
          min_ms = ${lowest}(latency_rollups.min_ms, excluded.min_ms), max_ms = ${highest}(latency_rollups.max_ms, excluded.max_ms)`;
    }),
  ];
}

/**
 * The rollup key each statement of rowStatements touches, same order (to take row locks in one
 * order), and what it counts (a latency's value, not only its bucket, since the bucket keeps the
 * lowest and highest value).
 */
function rowKeys(r: 'NEW' | 'OLD', t: ColumnTypes): { key: string; counted: string }[] {
  const entity = `COALESCE(${r}.entity, '')`;
  const day = `ROW(${bucketOf(`${r}.created_at`, DAY)}, ${r}.flow, ${entity}, ${r}.status)`;
  const hour = `ROW(${bucketOf(`${r}.posted_at`, HOUR)}, ${r}.flow, ${entity})`;
  return [
    { key: day, counted: day },
    { key: hour, counted: hour },
    ...LATENCY_MEASURES.map(([, start, end]) => {
      const x = `(${r}.${end} - ${r}.${start})`;
      return {
        key: `ROW(${bucketOf(`${r}.${end}`, DAY)}, ${entity}, ${latencyBucketSql(x, t)})`,
        counted: `ROW(${bucketOf(`${r}.${end}`, DAY)}, ${entity}, ${x})`,
      };
    }),
  ];
}

const COUNTED = ['flow', 'entity', 'status', 'created_at', 'approved_at', 'posted_at', 'paid_at'];

function sqliteTriggers(t: ColumnTypes): string[] {
  const body = (list: string[]) => `BEGIN\n${list.map((s) => `  ${s};`).join('\n')}\nEND`;
  const changed = COUNTED.map((c) => `OLD.${c} IS NOT NEW.${c}`).join(' OR ');
  return [
    `CREATE TRIGGER IF NOT EXISTS runs_rollups_insert AFTER INSERT ON runs ${body(rowStatements('NEW', 1, t))}`,
    `CREATE TRIGGER IF NOT EXISTS runs_rollups_update AFTER UPDATE OF ${COUNTED.join(', ')} ON runs WHEN ${changed}
      ${body([...rowStatements('OLD', -1, t), ...rowStatements('NEW', 1, t)])}`,
    `CREATE TRIGGER IF NOT EXISTS runs_rollups_delete AFTER DELETE ON runs ${body(rowStatements('OLD', -1, t))}`,
  ];
}

function postgresTriggers(t: ColumnTypes): string[] {
  const block = (list: string[]) => list.map((s) => `    ${s};`).join('\n');
  const unchanged = COUNTED.map((c) => `OLD.${c} IS NOT DISTINCT FROM NEW.${c}`).join(' AND ');
  // An update moves a run from its old rollup rows to its new ones, where what a row counts changed.
  // Each pair is touched lowest key first, so two workers moving runs in opposite directions (running → exception, exception →
  // running) wait for each other instead of deadlocking.
  const [subs, adds, olds, news] = [
    rowStatements('OLD', -1, t),
    rowStatements('NEW', 1, t),
    rowKeys('OLD', t),
    rowKeys('NEW', t),
  ];
  const updates = subs
    .map(
      (sub, i) => `    IF ${olds[i]!.counted} IS DISTINCT FROM ${news[i]!.counted} THEN
      IF ${olds[i]!.key} <= ${news[i]!.key} THEN
        ${sub};
        ${adds[i]!};
      ELSE
        ${adds[i]!};
        ${sub};
      END IF;
    END IF;`,
    )
    .join('\n');
  return [
    `CREATE OR REPLACE FUNCTION ll_runs_rollups() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND ${unchanged} THEN
    RETURN NULL;
  END IF;
  IF TG_OP = 'DELETE' THEN
${block(rowStatements('OLD', -1, t))}
  ELSIF TG_OP = 'INSERT' THEN
${block(rowStatements('NEW', 1, t))}
  ELSE
${updates}
  END IF;
  RETURN NULL;
END
$$`,
    `CREATE TRIGGER runs_rollups AFTER INSERT OR DELETE OR UPDATE OF ${COUNTED.join(', ')} ON runs
      FOR EACH ROW EXECUTE FUNCTION ll_runs_rollups()`,
  ];
}

function statements(t: ColumnTypes): string[] {
  const latencyIndexes = LATENCY_MEASURES.map(
    ([measure, start, end]) =>
      `CREATE INDEX IF NOT EXISTS runs_latency_${measure} ON runs ((${end} - ${start}), ${end}, entity)
        WHERE ${start} IS NOT NULL AND ${end} IS NOT NULL`,
  );
  return [
    `CREATE TABLE IF NOT EXISTS run_day_rollups (
      day ${t.bigint} NOT NULL, flow TEXT NOT NULL, entity TEXT NOT NULL, status TEXT NOT NULL, n ${t.bigint} NOT NULL,
      PRIMARY KEY (day, flow, entity, status)
    )`,
    `CREATE TABLE IF NOT EXISTS posted_hour_rollups (
      hour ${t.bigint} NOT NULL, flow TEXT NOT NULL, entity TEXT NOT NULL, n ${t.bigint} NOT NULL,
      PRIMARY KEY (hour, flow, entity)
    )`,
    `CREATE TABLE IF NOT EXISTS latency_rollups (
      measure TEXT NOT NULL, day ${t.bigint} NOT NULL, entity TEXT NOT NULL, bucket ${t.bigint} NOT NULL,
      n ${t.bigint} NOT NULL, min_ms ${t.bigint} NOT NULL, max_ms ${t.bigint} NOT NULL,
      PRIMARY KEY (measure, day, entity, bucket)
    )`,
    ...latencyIndexes,
    // The close view's approved-but-not-posted documents of an entity: not posted yet, or posted after a period's end.
    `CREATE INDEX IF NOT EXISTS runs_unposted ON runs (entity, approved_at, flow) WHERE posted_at IS NULL`,
    `CREATE INDEX IF NOT EXISTS runs_posted_at ON runs (entity, posted_at)`,
    // The exception queue's pages are ordered by id: read in that order for the usual filters instead of sorting every match.
    `CREATE INDEX IF NOT EXISTS exceptions_queue_page ON exceptions (status, class, owner, id)`,
    `CREATE INDEX IF NOT EXISTS exceptions_status_page ON exceptions (status, id)`,
    ...(t.dialect === 'sqlite' ? sqliteTriggers(t) : postgresTriggers(t)),
    `INSERT INTO run_day_rollups (day, flow, entity, status, n)
      SELECT ${bucketOf('created_at', DAY)}, flow, COALESCE(entity, ''), status, count(*) FROM runs
      GROUP BY ${bucketOf('created_at', DAY)}, flow, COALESCE(entity, ''), status`,
    `INSERT INTO posted_hour_rollups (hour, flow, entity, n)
      SELECT ${bucketOf('posted_at', HOUR)}, flow, COALESCE(entity, ''), count(*) FROM runs WHERE posted_at IS NOT NULL
      GROUP BY ${bucketOf('posted_at', HOUR)}, flow, COALESCE(entity, '')`,
    ...LATENCY_MEASURES.map(([measure, start, end]) => {
      const x = `(${end} - ${start})`;
      const key = `${bucketOf(end, DAY)}, COALESCE(entity, ''), ${latencyBucketSql(x, t)}`;
      return `INSERT INTO latency_rollups (measure, day, entity, bucket, n, min_ms, max_ms)
        SELECT '${measure}', ${key}, count(*), min(${x}), max(${x}) FROM runs
        WHERE ${start} IS NOT NULL AND ${end} IS NOT NULL GROUP BY ${key}`;
    }),
  ];
}
