/**
 * How fast the console's pages answer with many runs stored: seeds a fresh store (SQLite by default,
 * or `--db postgres://…`) with `--runs` runs spread over the last 30 days (1 in 50 held by an open
 * exception), starts the hub, and times the API reads each page makes (p50, p95 and worst of `--times`
 * calls, after one warm-up). The runs are inserted as the hub's own writes are, so the KPI rollups'
 * triggers (migration 12) count each of them. Prints a table and writes
 * bench/results/console-pages-<store>.json.
 *
 *   node --import tsx bench/console-pages.ts [--runs 1000000] [--times 20] [--db LOCATION]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { createApp } from '../src/app.js';
import { resolveConfig } from '../src/config/load-config.js';
import { createLogger } from '../src/observability/logger.js';
import { TokenStore } from '../src/security/api-tokens.js';
import { openStore } from '../src/store/open-store.js';
import type { Store } from '../src/store/port.js';
import { writeResult } from './bench-support.js';

function arg(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at < 0 ? undefined : process.argv[at + 1];
}

const RUNS = Number(arg('runs') ?? 1_000_000);
const TIMES = Number(arg('times') ?? 20);
const DAY_MS = 86_400_000;

async function seed(store: Store, runs: number, now: number): Promise<void> {
  const numbers =
    store.dialect === 'sqlite'
      ? sql`WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < ${sql.lit(runs)}) SELECT n FROM seq`
      : sql`SELECT n FROM generate_series(1, ${sql.lit(runs)}) AS n`;
  // created = now minus up to 30 days; posted an hour after approval; half of them paid a day later.
  const created = sql`(${sql.lit(now)} - (n % ${sql.lit(30 * 24 * 3600)}) * 1000)`;
  await sql`INSERT INTO runs (id, run_key, flow, system, document_id, version, status, correlation_id, mapping_version,
      input, state, created_at, updated_at, finished_at, entity, amount, currency, approved_at, posted_at, paid_at)
    SELECT 'run_b' || n, 'bench:expense:D' || n || ':1',
      CASE n % 3 WHEN 0 THEN 'expense-posting' WHEN 1 THEN 'invoice-posting' ELSE 'supplier-onboarding' END,
      'expense', 'D' || n, '1', CASE WHEN n % 50 = 0 THEN 'exception' ELSE 'succeeded' END, 'cor_b' || n, 'bench@1',
      '{}', '{}', ${created}, ${created}, ${created},
      CASE n % 3 WHEN 0 THEN '1010' WHEN 1 THEN '1710' ELSE '2910' END, '10.00', 'EUR',
      ${created} - 3600000 - (n % 600) * 1000, CASE WHEN n % 50 = 0 THEN NULL ELSE ${created} END,
      CASE WHEN n % 2 = 0 AND n % 50 <> 0 THEN ${created} + ${sql.lit(DAY_MS)} ELSE NULL END
    FROM (${numbers}) AS numbers`.execute(store.db);
  await sql`INSERT INTO exceptions (id, run_id, step, class, owner, code, message, details, status, created_at, updated_at,
      process, entity, system)
    SELECT 'exc_b' || n, 'run_b' || n, 'validate', CASE WHEN n % 100 = 0 THEN 'validation' ELSE 'mapping' END,
      CASE WHEN n % 100 = 0 THEN 'finance-ops' ELSE 'finance-systems' END, 'LL_ERR_VALIDATION', 'bench exception', '[]',
      'open', ${created}, ${created}, 'expense-posting', '1010', 'erp'
    FROM (${numbers}) AS numbers WHERE n % 50 = 0`.execute(store.db);
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'll-console-bench-'));
  const db = arg('db') ?? join(dir, 'bench.db');
  const now = Date.now();
  const seeding = performance.now();
  const store = await openStore(db, { migrate: true });
  await seed(store, RUNS, now);
  await store.close();
  const seededMs = Math.round(performance.now() - seeding);
  const app = await createApp({
    db,
    config: resolveConfig({}, 'bench', {}),
    role: 'api',
    logger: createLogger({ level: 'silent' }),
    runtimeMetrics: false,
  });
  const { url } = await app.start({ port: 0, host: '127.0.0.1' });
  const token = (await new TokenStore(app.store).create({ name: 'bench', roles: ['admin'] })).secret;
  const reads: Record<string, string> = {
    'overview: GET /v1/kpis': '/v1/kpis',
    'overview: GET /v1/connectors': '/v1/connectors',
    'exceptions: first page': '/v1/exceptions?limit=25',
    'exceptions: filtered page': '/v1/exceptions?status=open&class=validation&owner=finance-ops&limit=25',
    'runs: first page': '/v1/runs?limit=25',
    'exception: one': '/v1/exceptions/exc_b500000',
    'trace: one document': '/v1/trace/cor_b500000',
    'trace: by document number': '/v1/trace?documentId=D500000&system=expense',
    'audit: first page': '/v1/audit?limit=50',
    'close: periods': '/v1/periods',
    'close: entity and period': `/v1/close/1010/${new Date(now).toISOString().slice(0, 7)}`,
    'master data: in flight': '/v1/master-data/in-flight',
    'console page': '/',
  };
  const results: Record<string, { p50Ms: number; p95Ms: number; worstMs: number; status: number }> = {};
  const rank = (sorted: number[], p: number) =>
    Math.round(sorted[Math.max(1, Math.ceil((p / 100) * sorted.length)) - 1]! * 10) / 10;
  for (const [name, path] of Object.entries(reads)) {
    const times: number[] = [];
    let status = 0;
    for (let i = 0; i <= TIMES; i++) {
      const started = performance.now();
      const response = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token}` } });
      await response.arrayBuffer();
      status = response.status;
      if (i > 0) times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    results[name] = {
      p50Ms: rank(times, 50),
      p95Ms: rank(times, 95),
      worstMs: Math.round(times[times.length - 1]! * 10) / 10,
      status,
    };
  }
  await app.stop();
  if (arg('db') === undefined) rmSync(dir, { recursive: true, force: true });
  console.log(`${RUNS} runs seeded in ${seededMs} ms (${app.store.dialect})`);
  for (const [name, r] of Object.entries(results))
    console.log(
      `${name.padEnd(32)} p50 ${String(r.p50Ms).padStart(8)} ms   p95 ${String(r.p95Ms).padStart(8)} ms   worst ${String(r.worstMs).padStart(8)} ms   HTTP ${r.status}`,
    );
  writeResult(`bench/results/console-pages-${app.store.dialect}.json`, {
    runs: RUNS,
    exceptions: Math.floor(RUNS / 50),
    store: app.store.dialect,
    times: TIMES,
    seededMs,
    results,
    measuredAt: new Date(now).toISOString(),
  });
}

await main();
