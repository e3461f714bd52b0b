/**
 * `npm run bench -- passthrough`: the plain "webhook in → transform → HTTP POST" flow, as peers'
 * workflow tools are measured on it, through the hub's echo flow (durable: the event stored, a run, a
 * step, the write recorded in the effect ledger before and after) beside a non-durable pass-through
 * (bench/passthrough-server.ts: Fastify, map, POST, nothing stored), both posting to the same sink in
 * a process of its own (bench/sink-server.ts). Load from wrk (Debian package) when installed, else
 * autocannon. Figures: the pass-through's flows/s; the hub's accepted events/s, documents delivered
 * to the sink per second under that load, and the time to drain what was accepted; the hub's
 * delivered/s as a share of the pass-through's. BENCH_SECONDS (default 10), BENCH_CONNECTIONS
 * (default 64), BENCH_STORES (default sqlite,postgres), BENCH_MAX_BACKLOG (the hub's ingest
 * back-pressure limit, server.backpressure.maxBacklog). Writes bench/results/passthrough.json.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { TokenStore } from '../src/security/api-tokens.js';
import { openStore } from '../src/store/open-store.js';
import { freePort, startChild, stopChild, writeResult, type LoadResult } from './bench-support.js';
import { chooseLoadGenerator, uniqueDelivery } from './wrk-load.js';

const SECONDS = Number(process.env['BENCH_SECONDS'] ?? '10');
const CONNECTIONS = Number(process.env['BENCH_CONNECTIONS'] ?? '64');
const STORES = (process.env['BENCH_STORES'] ?? 'sqlite,postgres').split(',');
const PG_BASE = process.env['LEDGERLINK_TEST_PG'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const DRAIN_LIMIT_MS = 120_000;
/** server.backpressure.maxBacklog for the hub (BENCH_MAX_BACKLOG); the default (100000) when unset. */
const MAX_BACKLOG = process.env['BENCH_MAX_BACKLOG'];

const body = JSON.stringify({
  type: 'expense_report.approved',
  companyCode: '1010',
  employee: { id: 'E10023', name: 'Ana Lima' },
  total: { amount: '1284.56', currency: 'EUR' },
  approvedAt: '2026-11-25T09:14:03Z',
  entries: [
    { type: 'HOTEL', amount: '980.00', costCenter: 'CC-4100' },
    { type: 'TAXI', amount: '304.56', costCenter: 'CC-4100' },
  ],
});

const { name: generator, run: runLoad } = await chooseLoadGenerator();
const load = (url: string, headers: Record<string, string> = {}): Promise<LoadResult> =>
  runLoad({ url, seconds: SECONDS, connections: CONNECTIONS, body, headers, perRequestHeaders: uniqueDelivery });

async function sinkCount(sink: string): Promise<number> {
  return ((await (await fetch(`${sink}/_count`)).json()) as { count: number }).count;
}

async function passThrough(sink: string): Promise<LoadResult & { delivered: number }> {
  const port = await freePort();
  const child = await startChild(['bench/passthrough-server.ts', String(port), `${sink}/documents`], /listening on/);
  try {
    const before = await sinkCount(sink);
    const result = await load(`http://127.0.0.1:${port}/v1/events/expense`);
    return { ...result, delivered: (await sinkCount(sink)) - before };
  } finally {
    await stopChild(child);
  }
}

async function hub(store: string, sink: string) {
  const schema = `bench_pt_${randomBytes(4).toString('hex')}`;
  const location =
    store === 'sqlite'
      ? join(mkdtempSync(join(tmpdir(), 'll-bench-pt-')), 'hub.db')
      : `${PG_BASE}${PG_BASE.includes('?') ? '&' : '?'}schema=${schema}`;
  const opened = await openStore(location, { migrate: true });
  const { secret } = await new TokenStore(opened)
    .create({ name: 'bench-passthrough', roles: ['service:expense'] })
    .finally(() => opened.close());
  const config = join(mkdtempSync(join(tmpdir(), 'll-bench-pt-config-')), 'ledgerlink.yaml');
  const backpressure =
    MAX_BACKLOG === undefined ? '' : `server:\n  backpressure:\n    maxBacklog: ${Number(MAX_BACKLOG)}\n`;
  writeFileSync(config, `echo:\n  url: ${sink}/documents\n  systems: [expense]\n${backpressure}`);
  const port = await freePort();
  const child = await startChild(
    ['src/cli/main.ts', 'serve', '--config', config, '--db', location, '--port', String(port)],
    /listening on/,
  );
  try {
    const before = await sinkCount(sink);
    const result = await load(`http://127.0.0.1:${port}/v1/events/expense`, { authorization: `Bearer ${secret}` });
    const duringLoad = (await sinkCount(sink)) - before;
    const drainStarted = Date.now();
    let delivered = duringLoad;
    while (delivered < result.accepted && Date.now() - drainStarted < DRAIN_LIMIT_MS) {
      await new Promise((r) => setTimeout(r, 200));
      delivered = (await sinkCount(sink)) - before;
    }
    const drainSeconds = (Date.now() - drainStarted) / 1000;
    return {
      store,
      acceptedPerSecond: result.requestsPerSecond,
      deliveredPerSecondUnderLoad: Math.round(duringLoad / SECONDS),
      deliveredPerSecondOverall: Math.round(delivered / (SECONDS + drainSeconds)),
      accepted: result.accepted,
      delivered,
      drainSeconds: Math.round(drainSeconds * 10) / 10,
      ingestLatencyP50Ms: result.latencyP50Ms,
      ingestLatencyP99Ms: result.latencyP99Ms,
      errors: result.errors,
      non2xx: result.non2xx,
    };
  } finally {
    await stopChild(child);
    if (store === 'postgres') {
      const admin = new pg.Client({ connectionString: PG_BASE });
      await admin.connect();
      await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await admin.end();
    }
  }
}

async function main(): Promise<void> {
  const sinkPort = await freePort();
  const sinkProcess = await startChild(['bench/sink-server.ts', String(sinkPort)], /listening on/);
  const sink = `http://127.0.0.1:${sinkPort}`;
  try {
    const plain = await passThrough(sink);
    const plainPerSecond = Math.round(plain.delivered / SECONDS);
    console.log(
      `non-durable pass-through: ${plainPerSecond} flows/s (webhook → transform → POST, ${generator}, ${CONNECTIONS} connections), p50 ${plain.latencyP50Ms} ms p99 ${plain.latencyP99Ms} ms`,
    );
    const hubs = [];
    for (const store of STORES) {
      const figures = await hub(store, sink);
      hubs.push({
        ...figures,
        shareOfPassThrough: Math.round((figures.deliveredPerSecondOverall / plainPerSecond) * 1000) / 1000,
      });
      console.log(
        `ledgerlink echo flow [${store}]: accepted ${figures.acceptedPerSecond}/s, delivered ${figures.deliveredPerSecondUnderLoad}/s under load, ` +
          `${figures.deliveredPerSecondOverall}/s overall (${figures.delivered}/${figures.accepted}, drained in ${figures.drainSeconds} s), ` +
          `${Math.round((figures.deliveredPerSecondOverall / plainPerSecond) * 100)} % of the pass-through`,
      );
    }
    writeResult('bench/results/passthrough.json', {
      measuredAt: new Date().toISOString(),
      seconds: SECONDS,
      connections: CONNECTIONS,
      loadGenerator: generator,
      passThrough: { flowsPerSecond: plainPerSecond, ...plain },
      hub: hubs,
    });
    console.log('written to bench/results/passthrough.json');
  } finally {
    await stopChild(sinkProcess);
  }
}

await main();
