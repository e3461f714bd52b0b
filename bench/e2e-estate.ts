/**
 * The estate the end-to-end benchmark runs: the vendor simulators in a process of their own
 * (`ledgerlink simulate --json`, fault injection off), and the hub as `ledgerlink serve` in another,
 * configured by ledgerlink.demo.yaml pointed at them, on a SQLite file or a PostgreSQL schema.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { parseDocument } from 'yaml';
import { openStore } from '../src/store/open-store.js';
import { TokenStore } from '../src/security/api-tokens.js';
import { freePort, startChild, stopChild } from './bench-support.js';

export interface SimulatorInfo {
  readonly name: string;
  readonly url: string;
  readonly credentials: Record<string, string>;
}

export interface Simulators {
  readonly child: ChildProcess;
  readonly byName: Readonly<Record<string, SimulatorInfo>>;
}

/** Starts the four simulators in their own process; answers their URLs and demo credentials. */
export async function startSimulatorProcess(): Promise<Simulators> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'simulate', '--json'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LEDGERLINK_LOG_LEVEL: 'warn' },
  });
  let output = '';
  let errors = '';
  child.stderr.on('data', (chunk: Buffer) => {
    errors += chunk.toString();
  });
  const line = await new Promise<string>((done, fail) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const end = output.indexOf('\n');
      if (end >= 0) done(output.slice(0, end));
    });
    child.once('exit', (code) => fail(new Error(`simulate exited with ${code}: ${output}${errors.slice(-2_000)}`)));
  });
  const parsed = JSON.parse(line) as { simulators: SimulatorInfo[] };
  return { child, byName: Object.fromEntries(parsed.simulators.map((s) => [s.name, s])) };
}

/** Environment variables ledgerlink.demo.yaml references, from the simulators' demo credentials. */
function credentialEnv(sims: Simulators): Record<string, string> {
  const c = (name: string, key: string): string => sims.byName[name]?.credentials[key] ?? '';
  return {
    LEDGERLINK_DEMO_ERP_USER: c('erp', 'user'),
    LEDGERLINK_DEMO_ERP_PASSWORD: c('erp', 'password'),
    LEDGERLINK_DEMO_PROCUREMENT_CLIENT_ID: c('procurement', 'clientId'),
    LEDGERLINK_DEMO_PROCUREMENT_CLIENT_SECRET: c('procurement', 'clientSecret'),
    LEDGERLINK_DEMO_EXPENSE_CLIENT_ID: c('expense', 'clientId'),
    LEDGERLINK_DEMO_EXPENSE_CLIENT_SECRET: c('expense', 'clientSecret'),
    LEDGERLINK_DEMO_EXPENSE_COMPANY_UUID: c('expense', 'companyUuid'),
    LEDGERLINK_DEMO_EXPENSE_COMPANY_TOKEN: c('expense', 'companyToken'),
    LEDGERLINK_DEMO_DIRECTORY_TOKEN: c('directory', 'token'),
    LEDGERLINK_DEMO_BC_CLIENT_ID: c('bc', 'clientId'),
    LEDGERLINK_DEMO_BC_CLIENT_SECRET: c('bc', 'clientSecret'),
  };
}

export interface HubSettings {
  /** Expense poll interval of the run (the reports are found by the READY-queue poller). */
  readonly pollIntervalMs: number;
  /** Lift the connectors' client-side rate limits (the simulators have none). */
  readonly liftVendorLimits: boolean;
  /** engine.concurrency of the hub; the configuration's (or the default) when absent. */
  readonly concurrency?: number;
  /** engine.leaseMs of the hub (a killed worker's jobs are taken over once it lapses). */
  readonly leaseMs?: number;
  /** Write a V8 CPU profile of the hub into this folder when it stops (`BENCH_PROFILE_DIR`). */
  readonly profileDir?: string;
}

/** ledgerlink.demo.yaml with every system pointed at its simulator, written to a temporary file. */
function configFile(sims: Simulators, settings: HubSettings): string {
  const doc = parseDocument(readFileSync('ledgerlink.demo.yaml', 'utf8'));
  for (const name of ['erp', 'procurement', 'expense', 'directory', 'bc']) {
    const sim = sims.byName[name];
    if (sim === undefined) continue;
    doc.setIn(['systems', name, 'baseUrl'], sim.credentials['scimUrl'] ?? sim.credentials['apiUrl'] ?? sim.url);
    // Business Central's token endpoint is the simulator's too.
    if (sim.credentials['tokenUrl'] !== undefined && name === 'bc')
      doc.setIn(['systems', name, 'options', 'tokenUrl'], sim.credentials['tokenUrl']);
    if (settings.liftVendorLimits) doc.setIn(['systems', name, 'options', 'rateLimit'], false);
  }
  doc.setIn(['flows', 'expensePosting', 'trigger', 'pollIntervalMs'], settings.pollIntervalMs);
  if (settings.concurrency !== undefined) doc.setIn(['engine', 'concurrency'], settings.concurrency);
  if (settings.leaseMs !== undefined) doc.setIn(['engine', 'leaseMs'], settings.leaseMs);
  doc.setIn(['mappings', 'directory'], resolve('mappings'));
  const file = join(mkdtempSync(join(tmpdir(), 'll-bench-e2e-')), 'ledgerlink.yaml');
  writeFileSync(file, doc.toString());
  return file;
}

export interface Hub {
  readonly child: ChildProcess;
  readonly url: string;
  readonly token: string;
}

/** Migrates the store and issues an admin token in it. */
export async function prepareHubStore(location: string): Promise<string> {
  const store = await openStore(location, { migrate: true });
  try {
    return (
      await new TokenStore(store).create({ name: `bench-e2e-${randomBytes(3).toString('hex')}`, roles: ['admin'] })
    ).secret;
  } finally {
    await store.close();
  }
}

/**
 * `ledgerlink serve --role <role>` on a prepared store against the simulators; answers once it
 * listens (or, as a worker, runs). A worker has no URL.
 */
export async function startServe(
  location: string,
  sims: Simulators,
  settings: HubSettings,
  role: 'all' | 'api' | 'worker' = 'all',
): Promise<{ child: ChildProcess; url: string | undefined }> {
  const port = await freePort();
  const child = await startChild(
    [
      'src/cli/main.ts',
      'serve',
      '--config',
      configFile(sims, settings),
      '--db',
      location,
      '--port',
      String(port),
      '--role',
      role,
    ],
    role === 'worker' ? /worker running/ : /listening on/,
    credentialEnv(sims),
    settings.profileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${settings.profileDir}`],
  );
  return { child, url: role === 'worker' ? undefined : `http://127.0.0.1:${port}` };
}

/** Migrates the store, issues an admin token in it, and starts `ledgerlink serve` against the simulators. */
export async function startHub(location: string, sims: Simulators, settings: HubSettings): Promise<Hub> {
  const token = await prepareHubStore(location);
  const { child, url } = await startServe(location, sims, settings);
  return { child, url: url!, token };
}

/** The highest resident set size the process reached (VmHWM), in MiB; undefined where /proc has none. */
export function peakRssMiB(child: ChildProcess): number | undefined {
  try {
    const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
    const kb = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
    return kb === undefined ? undefined : Math.round(Number(kb) / 1024);
  } catch {
    return undefined;
  }
}

export const BENCH_PG = process.env['LEDGERLINK_TEST_PG'] ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A fresh hub store for one measurement: a SQLite file in a temporary folder, or a PostgreSQL schema. */
export function benchStore(store: string): { location: string; drop: () => Promise<void> } {
  if (store === 'sqlite')
    return { location: join(mkdtempSync(join(tmpdir(), 'll-bench-db-')), 'hub.db'), drop: async () => undefined };
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  return {
    location: `${BENCH_PG}${BENCH_PG.includes('?') ? '&' : '?'}schema=${schema}`,
    drop: async () => {
      const admin = new pg.Client({ connectionString: BENCH_PG });
      await admin.connect();
      await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await admin.end();
    },
  };
}

/**
 * A PostgreSQL database of its own for one measurement, so that the database's counters (commits)
 * are the hub's alone.
 */
export async function benchDatabase(): Promise<{ location: string; drop: () => Promise<void> }> {
  const name = `ll_bench_${randomBytes(4).toString('hex')}`;
  const admin = async (statement: string): Promise<void> => {
    const client = new pg.Client({ connectionString: BENCH_PG });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(BENCH_PG);
  url.pathname = `/${name}`;
  return { location: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

/**
 * The simulators, a fresh store and a hub on it for one measurement; stops them and drops the store
 * afterwards, whatever `measure` came to. Answers what `measure` answered.
 */
export async function withHubEstate<T>(
  store: string,
  settings: HubSettings,
  measure: (hub: Hub, sims: Simulators) => Promise<T>,
): Promise<T> {
  const sims = await startSimulatorProcess();
  const { location, drop } = benchStore(store);
  try {
    const hub = await startHub(location, sims, settings);
    try {
      // Let the first master data publication and pollers settle, so the figures are the documents'.
      await new Promise((r) => setTimeout(r, 5_000));
      return await measure(hub, sims);
    } finally {
      await stopChild(hub.child);
    }
  } finally {
    await stopChild(sims.child);
    await drop();
  }
}

export { stopChild };
