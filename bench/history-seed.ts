/**
 * A store with history: `runs` finished expense-posting runs from the last 30 days, each with the
 * rows a real one leaves behind — its inbox event, four recorded step transactions (nine steps),
 * four confirmed effects and an audit entry — written with set-based SQL on either store. The audit
 * rows are not a verifiable chain (their hashes are placeholders); the head is moved past them so
 * that the hub appends after them as it would after real history.
 */
import { sql } from 'kysely';
import type { Store } from '../src/store/port.js';

const STEPS = ['fetch', 'acknowledge', 'enrich', 'map', 'validate', 'reverse', 'post', 'attach', 'confirm'];
const EFFECTS = ['acknowledge', 'post', 'attach', 'confirm'];

export async function seedHistory(store: Store, runs: number, now: number): Promise<void> {
  const numbers =
    store.dialect === 'sqlite'
      ? sql`WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < ${sql.lit(runs)}) SELECT n FROM seq`
      : sql`SELECT n FROM generate_series(1, ${sql.lit(runs)}) AS n`;
  const created = sql`(${sql.lit(now)} - (n % ${sql.lit(30 * 24 * 3600)}) * 1000 - 600000)`;
  const input = sql.lit(JSON.stringify({ report: { id: 'seeded', total: '120.00', currency: 'EUR' } }));
  const state = sql.lit(JSON.stringify({ posted: { documentId: '5100000001', fiscalYear: '2026' } }));
  await sql`INSERT INTO inbox_events (id, system, dedupe_key, event_type, received_at, correlation_id, content_type,
      payload, headers, status, dispatched_at, note)
    SELECT 'evt_00h' || n, 'expense', 'history:' || n, 'expense.report.ready', ${created}, 'cor_h' || n,
      'application/json', ${input}, '{}', 'dispatched', ${created}, NULL
    FROM (${numbers}) AS numbers`.execute(store.db);
  await sql`INSERT INTO runs (id, run_key, flow, system, document_id, version, status, correlation_id, mapping_version,
      event_id, input, state, current_step, created_at, updated_at, finished_at, entity, amount, currency,
      approved_at, posted_at)
    SELECT 'run_00h' || n, 'expense-posting:expense:H' || n || ':1', 'expense-posting', 'expense', 'H' || n, '1',
      'succeeded', 'cor_h' || n, 'history@1', 'evt_00h' || n, ${input}, ${state}, NULL, ${created},
      ${created} + 900, ${created} + 900, CASE n % 3 WHEN 0 THEN '1010' WHEN 1 THEN '1710' ELSE '2910' END,
      '120.00', 'EUR', ${created} - 3600000, ${created} + 800
    FROM (${numbers}) AS numbers`.execute(store.db);
  for (const [index, step] of STEPS.entries()) {
    await sql`INSERT INTO run_steps (run_id, job_id, step, attempt, status, started_at, finished_at, duration_ms,
        error_class, error_code, error_message, payload_digest)
      SELECT 'run_00h' || n, 'job_00h' || n || '_' || ${sql.lit(Math.floor(index / 3))}, ${sql.lit(step)}, 1, 'succeeded',
        ${created} + ${sql.lit(index * 100)}, ${created} + ${sql.lit(index * 100 + 90)}, 90, NULL, NULL, NULL,
        'seeded'
      FROM (${numbers}) AS numbers`.execute(store.db);
  }
  for (const effect of EFFECTS) {
    await sql`INSERT INTO effects (id, system, idempotency_key, run_id, step, status, remote_id, attempts, result,
        created_at, updated_at, confirmed_at)
      SELECT 'eff_00h' || n || ${sql.lit(effect)}, ${sql.lit(effect === 'acknowledge' || effect === 'confirm' ? 'expense' : 'erp')},
        'expense-posting:expense:H' || n || ':1/' || ${sql.lit(effect)}, 'run_00h' || n, ${sql.lit(effect)}, 'confirmed',
        'R' || n, 1, 'created', ${created}, ${created}, ${created}
      FROM (${numbers}) AS numbers`.execute(store.db);
  }
  await sql`INSERT INTO audit_log (seq, at, actor, action, subject, correlation_id, data, prev_hash, hash)
    SELECT n, ${created}, 'engine', 'run.succeeded', 'run_00h' || n, 'cor_h' || n, '{}', 'seeded', 'seeded'
    FROM (${numbers}) AS numbers`.execute(store.db);
  await sql`UPDATE audit_head SET seq = ${sql.lit(runs)}, hash = 'seeded' WHERE id = 1`.execute(store.db);
  await sql`ANALYZE`.execute(store.db);
}

/** The store's size on disk: the SQLite file, or the PostgreSQL database's relations in its schema. */
export async function storeBytes(store: Store): Promise<number> {
  if (store.dialect === 'sqlite') {
    const pages = await sql<{
      n: number;
    }>`SELECT page_count * page_size AS n FROM pragma_page_count(), pragma_page_size()`.execute(store.db);
    return Number(pages.rows[0]!.n);
  }
  const size = await sql<{ n: string }>`SELECT COALESCE(SUM(pg_total_relation_size(c.oid)), 0) AS n
    FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace
    WHERE s.nspname = current_schema() AND c.relkind IN ('r', 'm')`.execute(store.db);
  return Number(size.rows[0]!.n);
}
