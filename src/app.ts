/**
 * The composition root: opens the store, builds the engine with the flows the configuration enables,
 * metrics and logger, and the HTTP server for the roles that serve it. `start` listens and starts the
 * worker; `stop` is the graceful shutdown (stop accepting, close the server, drain ingest, let running
 * steps finish within the grace period, close the store).
 */
import { createMappings, mappingsDirectoryOf, publishMappingsDirectory, type Mappings } from './hub/mapping-sets/mappings.js';
import type { Role } from './config/config-schema.js';
import type { LedgerlinkConfig } from './config/load-config.js';
import { connectorsFromConfig } from './composition/connectors-from-config.js';
import { type Connectors } from './connectors/port.js';
import { flowsFromConfig, type FlowServices } from './composition/flows-from-config.js';
import { reconciliationInputs } from './insights/reconciliation/sources.js';
import { alertDispatcherFromConfig, slaPolicyFromConfig } from './composition/alerts-from-config.js';
import type { AlertDispatcher } from './insights/alerts/alert-dispatcher.js';
import { masterDataServices, type MasterDataServices } from './hub/master-data/services.js';
import { Engine } from './engine/engine.js';
import { StorePostingLookup } from './hub/posting-lookup.js';
import { StoreIdentityMap } from './hub/identity-map.js';
import { StoreMasterDataRepository } from './hub/master-data/repository.js';
import { StoreSupplierStates } from './hub/suppliers/supplier-states.js';
import { SupplierLookupIndex } from './hub/suppliers/supplier-lookup-index.js';
import { StorePeriodCalendar } from './hub/periods/period-calendar.js';
import { maskAuditDataWith } from './engine/audit-log.js';
import { plainCodec } from './engine/record-protection.js';
import type { ApiServer, Lifecycle } from './api/api-context.js';
import { buildServer } from './api/server.js';
import { createLogger, engineLoggerFrom, type Logger } from './observability/logger.js';
import { Metrics } from './observability/metrics.js';
import { queueSnapshotFrom } from './observability/queue-snapshot.js';
import { dataProtectionFrom } from './security/data-protection.js';
import { EnvSecretResolver, type SecretResolver } from './security/secret-resolver.js';
import { SecretStore } from './security/secret-store.js';
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

export async function createApp(options: CreateAppOptions): Promise<LedgerlinkApp> {
  const { config } = options;
  const role = options.role ?? 'all';
  const logger = options.logger ?? createLogger();
  const env = options.env ?? process.env;
  const protection = dataProtectionFrom(config.security, env);
  maskAuditDataWith(protection.masker.maskValue);
  const store = await openStore(options.db, { migrate: options.migrate ?? true });
  const mappings = createMappings(store);
  const mappingsDirectory = mappingsDirectoryOf(config);
  if (mappingsDirectory !== undefined) {
    try {
      const published = await publishMappingsDirectory(mappings, mappingsDirectory);
      if (published.length > 0) logger.info({ published, directory: mappingsDirectory }, 'mapping sets published from the mappings directory');
    } catch (error) {
      await store.close();
      throw error;
    }
  }
  const secrets = new EnvSecretResolver(env, new SecretStore(store, protection.keyring));
  const metrics = new Metrics({ queues: queueSnapshotFrom(store.db), runtime: options.runtimeMetrics ?? true });
  let connectors: Connectors;
  try {
    connectors = await connectorsFromConfig(config, secrets);
  } catch (error) {
    await store.close();
    throw error;
  }
  const supplierStates = new StoreSupplierStates(store);
  const erp = connectors.erp;
  // The vendor master for supplier lookups: read on first use, then kept current by the vendor poller.
  const supplierLookup = new SupplierLookupIndex(erp === undefined ? undefined : { load: async () => ({ vendors: await erp.port.vendorsChangedSince(null), states: await supplierStates.list() }) });
  const periods = new StorePeriodCalendar(store, config.periods);
  const masterData = masterDataServices({
    config,
    repository: new StoreMasterDataRepository(store),
    connectors,
    calendar: () => periods.calendar(),
    onError: (error) => logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'master data cache or budget figures not refreshed'),
  });
  const services: FlowServices = {
    identity: new StoreIdentityMap(store),
    postings: new StorePostingLookup(store, protection.codec ?? plainCodec),
    mappings: mappings.source,
    periods,
    masterData: masterData.repository,
    onMasterDataCommitted: () => masterData.cache.invalidate(),
    publishedMasterData: () => masterData.cache.index,
    supplierStates,
    supplierLookup,
  };
  let alerts: AlertDispatcher;
  try {
    alerts = alertDispatcherFromConfig({ store, config, secrets, logger: engineLoggerFrom(logger) });
  } catch (error) {
    await store.close();
    throw error;
  }
  const engine = new Engine({
    background: [alerts],
    store,
    flows: flowsFromConfig(config, connectors, services),
    settings: config.engine,
    owners: config.exceptionOwners,
    processes: config.processes,
    retention: config.retention,
    logger: engineLoggerFrom(logger),
    observe: (observation) => metrics.observeStep(observation),
    protection: { codec: protection.codec ?? plainCodec, masker: protection.masker },
  });
  const lifecycle: Lifecycle = { shuttingDown: false };
  let server: ApiServer | undefined;
  try {
    server = role === 'worker' ? undefined : await buildServer({ engine, metrics, config, lifecycle, mappings, supplierLookup, secrets, masterData, reconciliation: reconciliationInputs(config, connectors), sla: slaPolicyFromConfig(config) }, { logger, ...(options.version === undefined ? {} : { version: options.version }) });
  } catch (error) {
    await store.close();
    throw error;
  }

  let stopping: Promise<void> | undefined;
  const stop = async (): Promise<void> => {
    lifecycle.shuttingDown = true;
    masterData.stop();
    if (server !== undefined) await closeServer(server, config.server.shutdownGraceMs);
    await engine.ingest.drain();
    const worker = await engine.stopWorker(config.server.shutdownGraceMs);
    logger.info({ finished: worker.finished, released: worker.released }, 'worker stopped');
    await store.close();
    logger.info({}, 'Ledgerlink stopped');
  };

  return {
    role,
    config,
    store,
    engine,
    connectors,
    services,
    masterData,
    metrics,
    logger,
    lifecycle,
    mappings,
    server,
    secrets,
    async start(listen) {
      if (server !== undefined) await masterData.start();
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
