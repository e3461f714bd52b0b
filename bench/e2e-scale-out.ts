/**
 * Scale-out on PostgreSQL: one `ledgerlink serve --role api` and 1, 2 and 4 `--role worker`
 * processes on one PostgreSQL schema, against the simulators (in their own process, vendor limits
 * lifted), in a database of their own. Prints end-to-end documents/s and latency per worker count,
 * beside PostgreSQL's own commit rate on this machine (one connection, and 16 at once) and the
 * transactions the hub committed per document; writes bench/results/e2e-scale-out.json.
 *
 * BENCH_DOCUMENTS (default 300), BENCH_WORKERS (default 1,2,4), LEDGERLINK_TEST_PG.
 */
import pg from 'pg';
import { writeResult } from './bench-support.js';
import { awaitRuns, documentFigures, injectReports, perDocument, requestCounts } from './e2e-documents.js';
import {
  BENCH_PG,
  benchDatabase,
  peakRssMiB,
  prepareHubStore,
  startServe,
  startSimulatorProcess,
  stopChild,
  type HubSettings,
} from './e2e-estate.js';

const DOCUMENTS = Number(process.env['BENCH_DOCUMENTS'] ?? 300);
const WORKERS = (process.env['BENCH_WORKERS'] ?? '1,2,4').split(',').map(Number);
const TIMEOUT_MS = 15 * 60_000;
const SETTINGS: HubSettings = { pollIntervalMs: 1_000, liftVendorLimits: true };

/** Single-row INSERT transactions per second for `seconds`, over `connections` connections at once. */
async function commitRate(connections: number, seconds: number): Promise<number> {
  const admin = new pg.Client({ connectionString: BENCH_PG });
  await admin.connect();
  const table = `bench_commit_${process.pid}`;
  await admin.query(`CREATE TABLE IF NOT EXISTS ${table} (id bigserial, at bigint)`);
  const clients = await Promise.all(
    Array.from({ length: connections }, async () => {
      const client = new pg.Client({ connectionString: BENCH_PG });
      await client.connect();
      return client;
    }),
  );
  const until = Date.now() + seconds * 1000;
  const counts = await Promise.all(
    clients.map(async (client) => {
      let n = 0;
      while (Date.now() < until) {
        await client.query(`INSERT INTO ${table} (at) VALUES ($1)`, [Date.now()]);
        n++;
      }
      return n;
    }),
  );
  await Promise.all(clients.map((c) => c.end()));
  await admin.query(`DROP TABLE ${table}`);
  await admin.end();
  return Math.round(counts.reduce((a, b) => a + b, 0) / seconds);
}

/** Transactions committed in the hub's database so far (every statement outside a transaction counts as one). */
async function databaseCommits(location: string): Promise<number> {
  const admin = new pg.Client({ connectionString: location });
  await admin.connect();
  try {
    await admin.query('SELECT pg_stat_clear_snapshot()');
    const result = await admin.query<{ n: string }>(
      'SELECT xact_commit AS n FROM pg_stat_database WHERE datname = current_database()',
    );
    return Number(result.rows[0]!.n);
  } finally {
    await admin.end();
  }
}

async function measure(workers: number) {
  const sims = await startSimulatorProcess();
  const { location, drop } = await benchDatabase();
  const token = await prepareHubStore(location);
  const api = await startServe(location, sims, SETTINGS, 'api');
  const workerProcesses = [];
  try {
    for (let i = 0; i < workers; i++)
      workerProcesses.push((await startServe(location, sims, SETTINGS, 'worker')).child);
    const hub = { url: api.url!, token };
    await new Promise((r) => setTimeout(r, 5_000));
    const baseline = await requestCounts(sims);
    const commitsBefore = await databaseCommits(location);
    const started = Date.now();
    const approvedAt = await injectReports(sims, DOCUMENTS);
    const runs = await awaitRuns(hub, approvedAt, TIMEOUT_MS);
    const commits = (await databaseCommits(location)) - commitsBefore;
    const requests = perDocument(baseline, await requestCounts(sims), DOCUMENTS);
    const figures = documentFigures(runs, approvedAt, started);
    return {
      workers,
      ...figures,
      postgresCommitsPerDocument: Math.round((commits / DOCUMENTS) * 10) / 10,
      postgresCommitsPerSecond: Math.round(commits / figures.seconds),
      apiPeakRssMiB: peakRssMiB(api.child),
      workerPeakRssMiB: workerProcesses.map((w) => peakRssMiB(w)),
      requestsPerDocument: requests.byVendor,
    };
  } finally {
    for (const w of workerProcesses) await stopChild(w);
    await stopChild(api.child);
    await stopChild(sims.child);
    await drop();
  }
}

async function main(): Promise<void> {
  const commitRates = { oneConnection: await commitRate(1, 3), sixteenConnections: await commitRate(16, 3) };
  console.log(
    `PostgreSQL commit rate: ${commitRates.oneConnection}/s on one connection, ` +
      `${commitRates.sixteenConnections}/s on 16 connections`,
  );
  const results = [];
  for (const workers of WORKERS) {
    const result = await measure(workers);
    results.push(result);
    console.log(
      `${workers} worker(s): ${result.documentsPerSecond} documents/s (${result.succeeded} posted, ` +
        `${result.exceptions} exceptions, ${result.seconds} s), latency p50 ${result.latencyP50Ms} ms ` +
        `p99 ${result.latencyP99Ms} ms, ${result.postgresCommitsPerDocument} PostgreSQL commits per document ` +
        `(${result.postgresCommitsPerSecond}/s), requests per document ${JSON.stringify(result.requestsPerDocument)}`,
    );
  }
  writeResult('bench/results/e2e-scale-out.json', {
    measuredAt: new Date().toISOString(),
    documents: DOCUMENTS,
    vendorLimits: 'lifted',
    postgresCommitRate: commitRates,
    results,
  });
  console.log('written to bench/results/e2e-scale-out.json');
}

await main();
