/**
 * The server's composition root: opens the store, builds the hub (composition/build-hub.ts) with the
 * periodic work of its role, metrics, and the HTTP server for the roles that serve it. `start` loads
 * what the API answers from memory, starts the scheduler and the worker and listens; `stop` is the
 * graceful shutdown (stop accepting, close the server, stop periodic work, drain ingest, let running
 * steps finish within the grace period, close the store).
 */
import type { Role } from './config/config-schema.js';
import type { LedgerlinkConfig } from './config/load-config.js';
import type { Connectors } from './connectors/port.js';
import { buildHub, type Hub } from './composition/build-hub.js';
import type { FlowServices } from './composition/flows-from-config.js';
import type { Engine } from './engine/engine.js';
import { IngestBacklog } from './engine/ingest-backlog.js';
import type { Mappings } from './hub/mapping-sets/mappings.js';
import type { MasterDataServices } from './hub/master-data/services.js';
import type { ApiServer, Lifecycle } from './api/api-context.js';
import { buildServer } from './api/server.js';
import { createLogger, type Logger } from './observability/logger.js';
import { Metrics } from './observability/metrics.js';
import { queueSnapshotFrom } from './observability/queue-snapshot.js';
import { registerAgentMetrics } from './observability/agent-metrics.js';
import { agentHealthOf } from './insights/agent-health.js';
import { tracingActive } from './observability/tracing.js';
import type { Tracing } from './observability/tracing-sdk.js';
import type { SecretResolver } from './security/secret-resolver.js';
import { openStore } from './store/open-store.js';
import type { Store } from './store/port.js';

export { roles, type Role } from './config/config-schema.js';

export interface CreateAppOptions {
  /** A SQLite path or a postgres:// URL. */
  readonly db: string;
  readonly config: LedgerlinkConfig;
  readonly role?: Role;
  readonly logger?: Logger;
  /** Apply pending migrations on open (default true); otherwise only check the schema is usable. */
  readonly migrate?: boolean;
  /** Process and runtime metrics on /metrics (default true). */
  readonly runtimeMetrics?: boolean;
  readonly version?: string;
  /** Where LEDGERLINK_MASTER_KEY and secrets by `{ env }` reference are read (default process.env). */
  readonly env?: NodeJS.ProcessEnv;
}

export interface ListenOptions {
  readonly port: number;
  readonly host: string;
}

export interface LedgerlinkApp {
  readonly role: Role;
  readonly config: LedgerlinkConfig;
  readonly store: Store;
  readonly engine: Engine;
  readonly connectors: Connectors;
  readonly services: FlowServices;
  /** Master data snapshots, the validation cache, budget figures and drift. */
  readonly masterData: MasterDataServices;
  readonly metrics: Metrics;
  readonly logger: Logger;
  readonly lifecycle: Lifecycle;
  /** Mapping sets: publication (`sets`) and what flows read (`source`, a MappingSetSource). */
  readonly mappings: Mappings;
  /** Present for the api and all roles. */
  readonly server: ApiServer | undefined;
  /** Resolves `{ env }` and `{ secret }` references (connector credentials, webhook secrets). */
  readonly secrets: SecretResolver;
  /** Everything above as composition/build-hub.ts built it, with insights and the scheduler. */
  readonly hub: Hub;
  /** Starts the worker (worker, all) and listens (api, all); answers the URL it listens on. */
  start(listen?: ListenOptions): Promise<{ url: string | undefined }>;
  /** Graceful shutdown; safe to call more than once. */
  stop(): Promise<void>;
}

/**
 * Closes the server once the requests in flight are answered. A keep-alive connection that goes idle
 * after close began is closed at once rather than at its keep-alive timeout; whatever is still open
 * after the grace period is cut.
 */
async function closeServer(server: ApiServer, graceMs: number): Promise<void> {
  const closing = server.close();
  const reaper = setInterval(() => server.server.closeIdleConnections(), 25);
  const deadline = setTimeout(() => server.server.closeAllConnections(), graceMs);
  try {
    await closing;
  } finally {
    clearInterval(reaper);
    clearTimeout(deadline);
  }
}

/**
 * Starts the OpenTelemetry SDK when `observability.tracing` (or OTEL_EXPORTER_OTLP_ENDPOINT) asks for
 * it and no SDK runs yet in this process; the SDK's modules are loaded only then. The app shuts down
 * only what it started.
 */
async function startConfiguredTracing(config: LedgerlinkConfig, logger: Logger): Promise<Tracing | undefined> {
  const settings = config.observability.tracing;
  if (!settings.enabled || tracingActive()) return undefined;
  const { startTracing } = await import('./observability/tracing-sdk.js');
  const tracing = startTracing(settings);
  logger.info({ url: settings.url, protocol: settings.protocol }, 'tracing: exporting spans over OTLP');
  return tracing;
}

export async function createApp(options: CreateAppOptions): Promise<LedgerlinkApp> {
  const { config } = options;
  const role = options.role ?? 'all';
  const logger = options.logger ?? createLogger();
  const tracing = await startConfiguredTracing(config, logger);
  let store: Store;
  try {
    store = await openStore(options.db, { migrate: options.migrate ?? true });
  } catch (error) {
    await tracing?.shutdown();
    throw error;
  }
  const metrics = new Metrics({ queues: queueSnapshotFrom(store.db), runtime: options.runtimeMetrics ?? true });
  const agentNames = Object.keys(config.agents);
  if (agentNames.length > 0) registerAgentMetrics(metrics.registry, () => agentHealthOf(store, agentNames, Date.now()));
  let hub: Hub;
  let server: ApiServer | undefined;
  let ingestBacklog: IngestBacklog | undefined;
  const lifecycle: Lifecycle = { shuttingDown: false };
  try {
    hub = await buildHub({
      config,
      store,
      logger,
      ...(options.env === undefined ? {} : { env: options.env }),
      observe: (observation) => metrics.observeStep(observation),
    });
    hub.schedule({ worker: role !== 'api', api: role !== 'worker' });
    if (role !== 'worker') {
      const ingest = hub.engine.ingest;
      ingestBacklog = new IngestBacklog({
        store,
        settings: config.server.backpressure,
        pending: () => ingest.pending,
        logger,
      });
      metrics.watchIngestBacklog(ingestBacklog);
    }
    server =
      role === 'worker'
        ? undefined
        : await buildServer(
            {
              engine: hub.engine,
              metrics,
              config,
              lifecycle,
              mappings: hub.mappings,
              supplierLookup: hub.services.supplierLookup,
              secrets: hub.secrets,
              masterData: hub.masterData,
              reconciliation: hub.reconciliation,
              sla: hub.sla,
              ...(ingestBacklog === undefined ? {} : { ingestBacklog }),
              agents: hub.agents,
            },
            { logger, ...(options.version === undefined ? {} : { version: options.version }) },
          );
  } catch (error) {
    await store.close();
    await tracing?.shutdown();
    throw error;
  }
  const { engine, scheduler } = hub;

  let stopping: Promise<void> | undefined;
  const stop = async (): Promise<void> => {
    lifecycle.shuttingDown = true;
    if (server !== undefined) await closeServer(server, config.server.shutdownGraceMs);
    await ingestBacklog?.stop();
    await scheduler.stop();
    await engine.ingest.drain();
    const worker = await engine.stopWorker(config.server.shutdownGraceMs);
    logger.info({ finished: worker.finished, released: worker.released }, 'worker stopped');
    await store.close();
    await tracing?.shutdown();
    logger.info({}, 'Ledgerlink stopped');
  };

  return {
    role,
    config,
    store,
    engine,
    connectors: hub.connectors,
    services: hub.services,
    masterData: hub.masterData,
    metrics,
    logger,
    lifecycle,
    mappings: hub.mappings,
    server,
    secrets: hub.secrets,
    hub,
    async start(listen) {
      if (server !== undefined) await hub.masterData.load();
      await ingestBacklog?.start();
      scheduler.start();
      if (role !== 'api') await engine.startWorker({ dispatch: true });
      if (server === undefined || listen === undefined) return { url: undefined };
      const url = await server.listen({ port: listen.port, host: listen.host });
      return { url };
    },
    stop() {
      stopping ??= stop();
      return stopping;
    },
  };
}
