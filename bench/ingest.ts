/**
 * `npm run bench:ingest`: durable accepted events per second through POST /v1/events/:system, on
 * SQLite and on PostgreSQL, beside the machine's limits measured in the same run (a trivial Fastify
 * POST, and single-row SQLite commits with synchronous=FULL). The hub runs in its own process as
 * `ledgerlink serve --role api`; wrk drives it when installed (`apt-get install wrk`), otherwise
 * autocannon from this process, which takes a core of its own. Writes bench/results/ingest.json.
 * With BENCH_TRACING=1 the hub on SQLite is measured again with tracing on, exporting every span
 * over OTLP/HTTP to a stand-in collector (bench/otlp-sink.ts), to show what tracing costs.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { sql } from 'kysely';
import { TokenStore } from '../src/security/api-tokens.js';
import { openStore } from '../src/store/open-store.js';
import { freePort, startChild, stopChild, writeResult, type LoadResult } from './bench-support.js';
import { chooseLoadGenerator, uniqueDelivery } from './wrk-load.js';

const SECONDS = Number(process.env['BENCH_SECONDS'] ?? '10');
const WARMUP_SECONDS = 2;
const CONNECTIONS = Number(process.env['BENCH_CONNECTIONS'] ?? '64');
const TRACING = process.env['BENCH_TRACING'] === '1';
const PG_BASE = process.env['LEDGERLINK_TEST_PG'] ?? 'postgres://postgres@127.0.0.1:5432/test';

const body = JSON.stringify({
  type: 'expense_report.approved',
  id: 'RPT-2026-004711',
  version: '3',
  companyCode: '1010',
  employee: { id: 'E10023', name: 'Ana Lima' },
  total: { amount: '1284.56', currency: 'EUR' },
  approvedAt: '2026-11-25T09:14:03Z',
  approvals: [{ approver: 'M. Weber', step: 'manager', at: '2026-11-24T16:02:11Z' }],
  entries: [
    { type: 'HOTEL', amount: '980.00', costCenter: 'CC-4100' },
    { type: 'TAXI', amount: '304.56', costCenter: 'CC-4100' },
  ],
});

const { name: generator, run: runLoad } = await chooseLoadGenerator();

async function measure(url: string, unique: boolean, headers: Record<string, string> = {}): Promise<LoadResult> {
  const perRequest = unique ? { perRequestHeaders: uniqueDelivery } : {};
  await runLoad({ url, seconds: WARMUP_SECONDS, connections: CONNECTIONS, body, headers, ...perRequest });
  return runLoad({ url, seconds: SECONDS, connections: CONNECTIONS, body, headers, ...perRequest });
}

/** A service token for the expense system, issued in the store the hub will serve. */
async function ingestToken(location: string): Promise<Record<string, string>> {
  const store = await openStore(location, { migrate: true });
  try {
    const { secret } = await new TokenStore(store).create({ name: 'bench-ingest', roles: ['service:expense'] });
    return { authorization: `Bearer ${secret}` };
  } finally {
    await store.close();
  }
}

function sqliteCommitsPerSecond(): number {
  const dir = mkdtempSync(join(tmpdir(), 'll-bench-commit-'));
  const db = new BetterSqlite3(join(dir, 'c.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, payload TEXT)');
  const insert = db.prepare('INSERT INTO t (payload) VALUES (?)');
  const start = performance.now();
  let count = 0;
  while (performance.now() - start < 3_000) {
    insert.run(body);
    count++;
  }
  const rate = Math.round(count / ((performance.now() - start) / 1_000));
  db.close();
  rmSync(dir, { recursive: true, force: true });
  return rate;
}

/**
 * No worker drains the inbox here, so the back-pressure (server.backpressure) would refuse deliveries
 * once 100,000 wait: it is turned off to measure what ingest itself takes.
 */
function unthrottledConfig(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'll-bench-config-')), 'ledgerlink.yaml');
  writeFileSync(file, 'server:\n  backpressure:\n    maxBacklog: 0\n');
  return file;
}

async function benchHub(location: string, env: NodeJS.ProcessEnv = {}): Promise<LoadResult & { stored: number }> {
  const port = await freePort();
  const config = unthrottledConfig();
  const child = await startChild(
    ['src/cli/main.ts', 'serve', '--role', 'api', '--config', config, '--db', location, '--port', String(port)],
    /listening on/,
    env,
  );
  let result: LoadResult;
  try {
    result = await measure(`http://127.0.0.1:${port}/v1/events/expense`, true, await ingestToken(location));
  } finally {
    await stopChild(child);
  }
  const store = await openStore(location);
  const row = await store.db
    .selectFrom('inbox_events')
    .select(sql<number>`count(*)`.as('n'))
    .executeTakeFirstOrThrow();
  await store.close();
  return { ...result, stored: Number(row.n) };
}

async function main(): Promise<void> {
  const trivialPort = await freePort();
  const trivial = await startChild(['bench/trivial-server.ts', String(trivialPort)], /listening on/);
  const trivialResult = await measure(`http://127.0.0.1:${trivialPort}/v1/events/expense`, true).finally(() =>
    stopChild(trivial),
  );
  const sqliteCommitPerSecond = sqliteCommitsPerSecond();

  const dir = mkdtempSync(join(tmpdir(), 'll-bench-ingest-'));
  const sqliteResult = await benchHub(join(dir, 'ledgerlink.db')).finally(() =>
    rmSync(dir, { recursive: true, force: true }),
  );
  const tracedResult = TRACING ? await benchTracedHub() : undefined;

  const schema = `bench_${randomBytes(4).toString('hex')}`;
  const pgUrl = new URL(PG_BASE);
  pgUrl.searchParams.set('schema', schema);
  let postgresResult: (LoadResult & { stored: number }) | undefined;
  try {
    postgresResult = await benchHub(pgUrl.toString());
  } finally {
    const admin = new pg.Client({ connectionString: PG_BASE });
    await admin.connect();
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.end();
  }

  const results = {
    measuredAt: new Date().toISOString(),
    seconds: SECONDS,
    connections: CONNECTIONS,
    loadGenerator: generator,
    sqlite: { eventsPerSecond: sqliteResult.requestsPerSecond, ...sqliteResult },
    postgres: { eventsPerSecond: postgresResult.requestsPerSecond, ...postgresResult },
    limits: {
      trivialPostPerSecond: trivialResult.requestsPerSecond,
      sqliteCommitPerSecond,
      trivialPost: trivialResult,
    },
    ...(tracedResult === undefined
      ? {}
      : {
          sqliteTracingOn: {
            eventsPerSecond: tracedResult.requestsPerSecond,
            toTracingOff: round(tracedResult.requestsPerSecond / sqliteResult.requestsPerSecond),
            ...tracedResult,
          },
        }),
    ratios: {
      sqliteToTrivialPost: round(sqliteResult.requestsPerSecond / trivialResult.requestsPerSecond),
      postgresToTrivialPost: round(postgresResult.requestsPerSecond / trivialResult.requestsPerSecond),
      sqliteToSingleRowCommits: round(sqliteResult.requestsPerSecond / sqliteCommitPerSecond),
    },
  };
  writeResult('bench/results/ingest.json', results);
  const line = (name: string, r: LoadResult & { stored?: number }): string =>
    `${name.padEnd(22)} ${String(r.requestsPerSecond).padStart(7)} /s   p50 ${r.latencyP50Ms} ms   p99 ${r.latencyP99Ms} ms   errors ${r.errors}   non-2xx ${r.non2xx}${r.stored === undefined ? '' : `   stored ${r.stored} (answered 202: ${r.accepted} + warm-up)`}`;
  console.log(
    `load from ${generator}, ${CONNECTIONS} connections, ${SECONDS} s per target after ${WARMUP_SECONDS} s warm-up`,
  );
  console.log(line('trivial Fastify POST', trivialResult));
  console.log(
    `${'SQLite commits (FULL)'.padEnd(22)} ${String(sqliteCommitPerSecond).padStart(7)} /s   single-row, one fsync each`,
  );
  console.log(line('hub on SQLite', sqliteResult));
  if (tracedResult !== undefined) console.log(line('hub on SQLite, traced', tracedResult));
  console.log(line('hub on PostgreSQL', postgresResult));
  console.log(
    `ratios: SQLite/trivial ${results.ratios.sqliteToTrivialPost}, PostgreSQL/trivial ${results.ratios.postgresToTrivialPost}, ` +
      `SQLite/single-row commits ${results.ratios.sqliteToSingleRowCommits}`,
  );
  console.log('written to bench/results/ingest.json');
}

/** The hub on a fresh SQLite file with tracing exporting over OTLP/HTTP (protobuf) to a local sink. */
async function benchTracedHub(): Promise<LoadResult & { stored: number; otlpExportRequests: number }> {
  const sinkPort = await freePort();
  const sink = await startChild(['bench/otlp-sink.ts', String(sinkPort)], /listening on/);
  let sinkOutput = '';
  sink.stdout?.on('data', (chunk: Buffer) => (sinkOutput += chunk.toString()));
  const dir = mkdtempSync(join(tmpdir(), 'll-bench-ingest-traced-'));
  let result: LoadResult & { stored: number };
  try {
    result = await benchHub(join(dir, 'ledgerlink.db'), {
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${sinkPort}`,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await stopChild(sink);
  }
  const exports = Number(/(\d+) export requests/.exec(sinkOutput)?.[1] ?? '0');
  if (exports === 0) throw new Error(`the traced hub exported no spans (sink said: ${sinkOutput.trim()})`);
  return { ...result, otlpExportRequests: exports };
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

await main();
