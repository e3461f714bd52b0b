/**
 * End to end: approved expense reports put into the expense simulator all at once → found by the
 * hub's READY-queue poller → posted in the ERP simulator → confirmed to the expense simulator, on
 * SQLite and on PostgreSQL, under the vendors' client-side limits (the SAP connector's default
 * 10 requests/s) and with them lifted. Prints documents per second, the run's latency from the hub
 * seeing a report to its confirmation (p50/p99), the hub's peak RSS and the vendor requests each
 * document cost; writes bench/results/e2e.json.
 *
 * BENCH_DOCUMENTS (default 100), BENCH_STORES (default sqlite,postgres), BENCH_LIMITS (default
 * vendor,lifted), BENCH_CONCURRENCY (engine.concurrency; the configuration's when unset),
 * LEDGERLINK_TEST_PG (default postgres://postgres@127.0.0.1:5432/test), BENCH_PROFILE_DIR (a CPU
 * profile of the hub written there, to open in Chrome DevTools or read with bench/profile-summary.ts).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { expenseReport } from '../src/demo/demo-documents.js';
import { writeResult } from './bench-support.js';
import { peakRssMiB, startHub, startSimulatorProcess, stopChild, type Hub, type Simulators } from './e2e-estate.js';

const DOCUMENTS = Number(process.env['BENCH_DOCUMENTS'] ?? 100);
const STORES = (process.env['BENCH_STORES'] ?? 'sqlite,postgres').split(',');
const LIMITS = (process.env['BENCH_LIMITS'] ?? 'vendor,lifted').split(',');
const PG = process.env['LEDGERLINK_TEST_PG'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const POLL_MS = 1_000;
const CONCURRENCY =
  process.env['BENCH_CONCURRENCY'] === undefined ? undefined : Number(process.env['BENCH_CONCURRENCY']);
const TIMEOUT_MS = 15 * 60_000;

interface RunRow {
  readonly documentId: string;
  readonly status: string;
  readonly createdAt: string;
  readonly finishedAt: string | null;
}

async function expenseRuns(hub: Hub): Promise<RunRow[]> {
  const rows: RunRow[] = [];
  let before: string | undefined;
  for (;;) {
    const query = new URLSearchParams({
      flow: 'expense-posting',
      limit: '500',
      ...(before === undefined ? {} : { before }),
    });
    const response = await fetch(`${hub.url}/v1/runs?${query}`, { headers: { authorization: `Bearer ${hub.token}` } });
    if (!response.ok) throw new Error(`GET /v1/runs: ${response.status} ${await response.text()}`);
    const page = (await response.json()) as { runs: (RunRow & { id: string })[] };
    rows.push(...page.runs);
    if (page.runs.length < 500) return rows;
    before = page.runs[page.runs.length - 1]!.id;
  }
}

interface RequestCounts {
  readonly total: number;
  readonly byRoute: Record<string, number>;
}

async function requestCounts(sims: Simulators): Promise<Record<string, RequestCounts>> {
  const out: Record<string, RequestCounts> = {};
  for (const [name, sim] of Object.entries(sims.byName)) {
    const response = await fetch(`${sim.url}/_sim/requests`);
    out[name] = (await response.json()) as RequestCounts;
  }
  return out;
}

/** Requests per document between two counts: per vendor, and per vendor and endpoint. */
function perDocument(before: Record<string, RequestCounts>, after: Record<string, RequestCounts>, documents: number) {
  const per = (n: number): number => Math.round((n / documents) * 100) / 100;
  const byVendor: Record<string, number> = {};
  const byRoute: Record<string, Record<string, number>> = {};
  for (const [name, counts] of Object.entries(after)) {
    byVendor[name] = per(counts.total - (before[name]?.total ?? 0));
    const routes: Record<string, number> = {};
    for (const [route, n] of Object.entries(counts.byRoute)) {
      const delta = n - (before[name]?.byRoute[route] ?? 0);
      if (delta > 0) routes[route] = per(delta);
    }
    byRoute[name] = routes;
  }
  return { byVendor, byRoute };
}

const percentile = (sorted: readonly number[], p: number): number =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

/** A seeded generator, so every run puts the same reports in. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

async function measure(store: string, limits: string) {
  const sims = await startSimulatorProcess();
  const schema = `bench_e2e_${randomBytes(4).toString('hex')}`;
  const location =
    store === 'sqlite'
      ? join(mkdtempSync(join(tmpdir(), 'll-bench-e2e-db-')), 'hub.db')
      : `${PG}${PG.includes('?') ? '&' : '?'}schema=${schema}`;
  const hub = await startHub(location, sims, {
    pollIntervalMs: POLL_MS,
    liftVendorLimits: limits === 'lifted',
    ...(CONCURRENCY === undefined ? {} : { concurrency: CONCURRENCY }),
    ...(process.env['BENCH_PROFILE_DIR'] === undefined ? {} : { profileDir: process.env['BENCH_PROFILE_DIR'] }),
  });
  try {
    // Let the first master data publication and pollers settle, so the figures are the reports'.
    await new Promise((r) => setTimeout(r, 5_000));
    const baseline = await requestCounts(sims);
    const today = new Date().toISOString().slice(0, 10);
    const random = seeded(42);
    const expense = sims.byName['expense']!.url;
    const started = Date.now();
    const injected = new Set<string>();
    for (let i = 0; i < DOCUMENTS; i++) {
      const report = expenseReport(random, { date: today });
      injected.add(report.id);
      const response = await fetch(`${expense}/_sim/fis/documents`, { method: 'POST', body: report.text });
      if (!response.ok)
        throw new Error(`expense simulator refused a report: ${response.status} ${await response.text()}`);
    }
    let runs: RunRow[] = [];
    while (Date.now() - started < TIMEOUT_MS) {
      runs = (await expenseRuns(hub)).filter((r) => injected.has(r.documentId));
      if (runs.filter((r) => r.finishedAt !== null || r.status === 'exception').length >= DOCUMENTS) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const finished = runs.filter((r) => r.finishedAt !== null);
    const lastFinish = Math.max(...finished.map((r) => Date.parse(r.finishedAt!)));
    const seconds = (lastFinish - started) / 1000;
    const latencies = finished.map((r) => Date.parse(r.finishedAt!) - Date.parse(r.createdAt)).sort((a, b) => a - b);
    const requests = perDocument(baseline, await requestCounts(sims), DOCUMENTS);
    return {
      store,
      vendorLimits: limits === 'lifted' ? 'lifted' : 'vendor defaults (SAP 10 requests/s, Coupa 25/s)',
      documents: DOCUMENTS,
      succeeded: runs.filter((r) => r.status === 'succeeded').length,
      exceptions: runs.filter((r) => r.status === 'exception').length,
      seconds: Math.round(seconds * 10) / 10,
      documentsPerSecond: Math.round((finished.length / seconds) * 100) / 100,
      latencyP50Ms: percentile(latencies, 50),
      latencyP99Ms: percentile(latencies, 99),
      hubPeakRssMiB: peakRssMiB(hub.child),
      requestsPerDocument: requests.byVendor,
      requestsPerDocumentByEndpoint: requests.byRoute,
    };
  } finally {
    await stopChild(hub.child);
    await stopChild(sims.child);
    if (store === 'postgres') {
      const admin = new pg.Client({ connectionString: PG });
      await admin.connect();
      await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await admin.end();
    }
  }
}

async function main(): Promise<void> {
  const results = [];
  for (const store of STORES) {
    for (const limits of LIMITS) {
      const result = await measure(store, limits);
      results.push(result);
      console.log(
        `${store.padEnd(8)} limits ${limits.padEnd(6)} ${result.documentsPerSecond} documents/s ` +
          `(${result.succeeded} posted, ${result.exceptions} exceptions, ${result.seconds} s), ` +
          `latency p50 ${result.latencyP50Ms} ms p99 ${result.latencyP99Ms} ms, peak RSS ${result.hubPeakRssMiB} MiB, ` +
          `requests per document ${JSON.stringify(result.requestsPerDocument)}`,
      );
    }
  }
  writeResult('bench/results/e2e.json', { measuredAt: new Date().toISOString(), results });
  console.log('written to bench/results/e2e.json');
}

await main();
