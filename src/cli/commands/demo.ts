/**
 * `ledgerlink demo [--config FILE] [--db LOCATION] [--port N] [--no-traffic] [--json]` — the demo
 * estate: the four vendor simulators with their seeded data (three legal entities in DE, US and GB),
 * the hub on the embedded SQLite with ledgerlink.demo.yaml, and a traffic generator. Prints the hub
 * URL, a one-click login link to the web console, an admin token and where to look; Ctrl-C stops everything; a second start resumes from the
 * same database (the simulators start from their seed again).
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { destination } from 'pino';
import { createLogger } from '../../observability/logger.js';
import { loadConfig, type LedgerlinkConfig } from '../../config/load-config.js';
import { isPostgresUrl } from '../../store/open-store.js';
import { demoAdminToken, demoServiceToken } from '../../demo/demo-admin-token.js';
import { connectorBaseUrl, provideDemoCredentials } from '../../demo/demo-credentials.js';
import { startSimulators, type RunningSimulator } from '../../demo/simulators.js';
import { TrafficGenerator } from '../../demo/traffic-generator.js';
import { describeLocation, EXIT_OK, productVersion, UsageError, type CommandIo } from '../cli-support.js';
import { DEFAULT_HOST, resolvePort } from './serve.js';

interface DemoOptions {
  readonly config?: string;
  readonly db?: string;
  readonly port?: string;
  readonly simPort?: string;
  readonly traffic: boolean;
  readonly json?: boolean;
  readonly rate?: string;
}

const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const DEMO_CONFIG = join(PACKAGE_ROOT, 'ledgerlink.demo.yaml');
export const DEMO_DB = './data/ledgerlink-demo.db';
const DEMO_SIMULATOR_PORT = 4101;

/** The configuration with each system pointed at the simulator of the same name, and relative paths made absolute. */
function pointAtSimulators(
  config: LedgerlinkConfig,
  simulators: readonly RunningSimulator[],
  configDir: string,
): LedgerlinkConfig {
  const byName = new Map(simulators.map((s) => [s.name as string, s]));
  const systems = Object.fromEntries(
    Object.entries(config.systems).map(([name, system]) => {
      const simulator = byName.get(name);
      if (simulator === undefined) return [name, system];
      // A simulator with its own token endpoint (Business Central's identity platform) is pointed at too.
      const tokenUrl = system.kind === 'business-central' ? simulator.credentials['tokenUrl'] : undefined;
      const options = tokenUrl === undefined ? system.options : { ...system.options, tokenUrl };
      return [name, { ...system, baseUrl: connectorBaseUrl(simulator), ...(options === undefined ? {} : { options }) }];
    }),
  );
  const directory = config.mappings.directory;
  const mappings =
    directory === undefined ? config.mappings : { ...config.mappings, directory: resolve(configDir, directory) };
  return { ...config, systems, mappings };
}

export async function runDemo(options: DemoOptions, io: CommandIo): Promise<number> {
  const configPath = options.config ?? (existsSync('ledgerlink.demo.yaml') ? 'ledgerlink.demo.yaml' : DEMO_CONFIG);
  const fileConfig = await loadConfig({ path: configPath });
  const port = resolvePort(options.port, fileConfig.server.port);
  const simPort = options.simPort === undefined ? (port === 0 ? 0 : DEMO_SIMULATOR_PORT) : Number(options.simPort);
  if (!Number.isInteger(simPort) || simPort < 0 || simPort > 65_000)
    throw new UsageError(`--sim-port must be a port number, not "${options.simPort}"`);
  const perMinute = options.rate === undefined ? 20 : Number(options.rate);
  if (!Number.isFinite(perMinute) || perMinute <= 0 || perMinute > 6_000)
    throw new UsageError(`--rate must be documents per minute (1-6000), not "${options.rate}"`);
  const db = options.db ?? (process.env['LEDGERLINK_DB']?.trim() || DEMO_DB);
  // The terminal stays readable: the hub's JSON log lines go to a file next to the database.
  const dataDir = isPostgresUrl(db) ? './data' : dirname(db);
  const logFile = join(dataDir, 'ledgerlink-demo.log');

  // The published samples are held READY dated today, like the traffic's reports (postings use the approval date).
  const simulators = await startSimulators([], DEFAULT_HOST, simPort, {
    samplesDatedTo: new Date().toISOString().slice(0, 10),
  }).catch((error: unknown) => {
    throw new UsageError(
      `the simulators cannot start on ports ${simPort}-${simPort + 4} (${error instanceof Error ? error.message : String(error)}); pass --sim-port 0 for any free ports`,
    );
  });
  const stopSimulators = () => Promise.all(simulators.map((s) => s.stop()));
  provideDemoCredentials(simulators);
  const config = pointAtSimulators(fileConfig, simulators, dirname(resolve(configPath)));
  const { createApp } = await import('../../app.js');
  let app: Awaited<ReturnType<typeof createApp>>;
  try {
    app = await createApp({
      db,
      config,
      role: 'all',
      version: productVersion(),
      logger: createLogger({ destination: destination({ dest: logFile, mkdir: true, sync: false }) }),
    });
  } catch (error) {
    await stopSimulators();
    throw error;
  }
  let traffic: TrafficGenerator | undefined;
  const shutdown = async (): Promise<void> => {
    await traffic?.stop();
    await app.stop();
    await stopSimulators();
  };
  try {
    const { url } = await app.start({ port, host: DEFAULT_HOST });
    if (url === undefined) throw new Error('the hub did not listen');
    const tokenFile = join(dataDir, 'demo-admin-token');
    const admin = await demoAdminToken(app.store, tokenFile);
    const expenseSystem = app.connectors.expense?.system ?? 'expense';
    if (options.traffic) {
      traffic = new TrafficGenerator({
        simulators,
        hubUrl: url,
        expenseSystem,
        serviceToken: await demoServiceToken(app.store, expenseSystem),
        perMinute,
        closedPeriodDate: '2025-01-15',
        onError: (what, error) =>
          app.logger.warn({ err: error instanceof Error ? error.message : String(error) }, `demo ${what} failed`),
      });
      traffic.start();
    }
    if (options.json === true) {
      io.out(
        JSON.stringify({
          hub: url,
          console: `${url}/#login=${admin.token}`,
          adminToken: admin.token,
          simulators: simulators.map(({ name, url: simUrl, credentials }) => ({ name, url: simUrl, credentials })),
        }),
      );
    } else {
      printWelcome(io, {
        url,
        token: admin.token,
        db,
        configPath,
        logFile,
        simulators,
        traffic: options.traffic,
        perMinute,
      });
    }
  } catch (error) {
    await shutdown().catch(() => undefined);
    throw error;
  }
  await new Promise<void>((done) => {
    process.once('SIGINT', () => done());
    process.once('SIGTERM', () => done());
  });
  if (options.json !== true) io.out('Stopping the demo…');
  await shutdown();
  return EXIT_OK;
}

function printWelcome(
  io: CommandIo,
  d: {
    url: string;
    token: string;
    db: string;
    configPath: string;
    logFile: string;
    simulators: readonly RunningSimulator[];
    traffic: boolean;
    perMinute: number;
  },
): void {
  io.out(`Ledgerlink demo is running (store ${describeLocation(d.db)}, config ${d.configPath}).`);
  io.out('');
  io.out(`  Console        ${d.url}/#login=${d.token}`);
  io.out('                 (open this link: it signs you in as the demo admin)');
  io.out(`  Hub            ${d.url}`);
  io.out(`  Admin token    ${d.token}`);
  io.out(`  API docs       ${d.url}/docs`);
  io.out(`  Hub log        ${d.logFile}`);
  io.out('');
  io.out('Where to look (send the token as "Authorization: Bearer <token>"):');
  io.out(`  curl -H "Authorization: Bearer ${d.token}" ${d.url}/v1/runs`);
  io.out(`  ${d.url}/v1/exceptions   the exception queue, by owner`);
  io.out(`  ${d.url}/v1/kpis         postings, latency, exceptions`);
  io.out(`  ${d.url}/metrics         Prometheus metrics`);
  io.out('');
  io.out('Simulators (what the hub created shows under /_sim/documents):');
  for (const sim of d.simulators) io.out(`  ${sim.name.padEnd(12)} ${sim.url}   ${sim.vendor}`);
  io.out('');
  io.out(
    d.traffic
      ? `Traffic: about ${d.perMinute} documents a minute, with some trouble on purpose.`
      : 'Traffic generator off (--no-traffic).',
  );
  io.out('Ctrl-C stops everything; the next start resumes from the same database.');
}

export function registerDemoCommand(program: Command, io: CommandIo, setExit: (code: number) => void): void {
  program
    .command('demo')
    .description('run the demo estate: simulators, the hub on SQLite, and a traffic generator')
    .option('--config <file>', 'configuration (default ledgerlink.demo.yaml)')
    .option('--db <location>', `SQLite path or postgres:// URL (LEDGERLINK_DB, default ${DEMO_DB})`)
    .option('--port <n>', 'hub HTTP port (LEDGERLINK_PORT, default from the config: 4100; 0 for any free port)')
    .option('--sim-port <n>', `first simulator port (default ${DEMO_SIMULATOR_PORT}; any free port when --port is 0)`)
    .option('--rate <perMinute>', 'documents per minute the traffic generator sends (default 20)')
    .option('--no-traffic', 'start the same estate without the traffic generator')
    .option('--json', 'print one JSON line { hub, adminToken, simulators } once ready')
    .action(async (options: DemoOptions) => {
      const code = await runDemo(options, io);
      setExit(code);
      process.exit(code);
    });
}
