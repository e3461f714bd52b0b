/**
 * Builds the hub from a configuration over an open store: data protection, secrets, mapping sets,
 * connectors, the hub services flows consume (with the directory as a synced copy), the flows, the
 * engine, insights (alerts, SLA policy, reconciliation inputs) and the scheduler of periodic work. The server (app.ts), the API and every
 * CLI command get their hub from here, so each is wired the same way.
 */
import { agentRelay, type AgentRelay } from '../agent/relay/agent-relay.js';
import { agentTransport } from '../agent/relay/agent-transport.js';
import type { LedgerlinkConfig } from '../config/load-config.js';
import { mappingsDirectoryOf } from '../config/load-config.js';
import type { Connectors } from '../connectors/port.js';
import { maskAuditDataWith } from '../engine/audit-log.js';
import type { StepObservation } from '../engine/engine-deps.js';
import { Engine } from '../engine/engine.js';
import { plainCodec } from '../engine/record-protection.js';
import { StoreIdentityMap } from '../hub/identity-map.js';
import { createMappings, publishMappingsDirectory, type Mappings } from '../hub/mapping-sets/mappings.js';
import { StoreMasterDataRepository } from '../hub/master-data/repository.js';
import { masterDataServices, type MasterDataServices } from '../hub/master-data/services.js';
import { SyncedDirectory } from '../hub/directory/synced-directory.js';
import { StorePeriodCalendar } from '../hub/periods/period-calendar.js';
import { StorePostingLookup } from '../hub/posting-lookup.js';
import { StoreAccrualSource } from '../hub/accrual-source.js';
import { StoreSupplierStates } from '../hub/suppliers/supplier-states.js';
import { SupplierLookupIndex } from '../hub/suppliers/supplier-lookup-index.js';
import type { AlertDispatcher } from '../insights/alerts/alert-dispatcher.js';
import type { SlaPolicy } from '../insights/alerts/sla-policy.js';
import { reconciliationInputs, type ReconciliationInputs } from '../insights/reconciliation/sources.js';
import { createLogger, engineLoggerFrom, type Logger } from '../observability/logger.js';
import { dataProtectionFrom, type DataProtection } from '../security/data-protection.js';
import { EnvSecretResolver, type SecretResolver } from '../security/secret-resolver.js';
import { SecretStore } from '../security/secret-store.js';
import type { Store } from '../store/port.js';
import { alertDispatcherFromConfig, slaPolicyFromConfig } from './alerts-from-config.js';
import { connectorsFromConfig } from './connectors-from-config.js';
import { flowsFromConfig, type FlowServices } from './flows-from-config.js';
import { refreshTokenKeeper } from './rotated-refresh-tokens.js';
import { Scheduler } from './scheduler.js';

/** Connector kinds that are ERPs: a confirmed write to a system of one of these kinds is a posting. */
const ERP_KINDS: ReadonlySet<string> = new Set(['sap-s4hana', 'business-central']);

export interface BuildHubOptions {
  readonly config: LedgerlinkConfig;
  /** An open, migrated store; the caller closes it. */
  readonly store: Store;
  /** Where LEDGERLINK_MASTER_KEY and secrets by `{ env }` reference are read (default process.env). */
  readonly env?: NodeJS.ProcessEnv;
  readonly logger?: Logger;
  /**
   * Build the configured connectors and the flows on them (default true). Operations commands that
   * work on the store alone say false: no credentials are resolved and the engine runs no flow.
   */
  readonly connectors?: boolean;
  /** Publish the sets of `mappings.directory` that are not stored yet (default: with connectors). */
  readonly publishMappings?: boolean;
  readonly observe?: (observation: StepObservation) => void;
}

export interface Hub {
  readonly config: LedgerlinkConfig;
  readonly store: Store;
  readonly logger: Logger;
  readonly protection: DataProtection;
  /** Resolves `{ env }` and `{ secret }` references (connector credentials, webhook secrets). */
  readonly secrets: SecretResolver;
  /** Mapping sets: publication (`sets`) and what flows read (`source`). */
  readonly mappings: Mappings;
  readonly connectors: Connectors;
  /** The hub services handed to flows. */
  readonly services: FlowServices;
  /** Master data snapshots, the validation cache, budget figures and drift. */
  readonly masterData: MasterDataServices;
  readonly engine: Engine;
  readonly alerts: AlertDispatcher;
  readonly sla: SlaPolicy;
  readonly reconciliation: ReconciliationInputs;
  /** On-premises agents: the call queue the `via: agent:<name>` transports use, and their sessions. */
  readonly agents: AgentRelay;
  /** Periodic work; `schedule` fills it for a process role, the caller starts and stops it. */
  readonly scheduler: Scheduler;
  /** Adds the periodic work of a role: `worker` retention and alerts, `api` master data refreshes. */
  schedule(role: { readonly worker: boolean; readonly api: boolean }): void;
}

const RETENTION_INTERVAL_MS = 3_600_000;
const DIRECTORY_SYNC_MS = 60_000;
const AGENT_CALL_PRUNE_MS = 600_000;

/**
 * The directory as the flows see it: a synced copy (`options.syncIntervalMs`, default 60 s) unless
 * the directory system's configuration turns it off.
 */
function syncedDirectory(config: LedgerlinkConfig, connectors: Connectors) {
  const directory = connectors.directory;
  if (directory === undefined) return undefined;
  const interval = config.systems[directory.system]?.options?.['syncIntervalMs'];
  if (interval === false) return undefined;
  return {
    bound: { system: directory.system, port: new SyncedDirectory(directory.port) },
    everyMs: typeof interval === 'number' ? interval : DIRECTORY_SYNC_MS,
  };
}

export async function buildHub(options: BuildHubOptions): Promise<Hub> {
  const { config, store } = options;
  const env = options.env ?? process.env;
  const logger = options.logger ?? createLogger();
  const engineLogger = engineLoggerFrom(logger);
  const withConnectors = options.connectors ?? true;
  const protection = dataProtectionFrom(config.security, env);
  maskAuditDataWith(protection.masker.maskValue);
  const mappings = createMappings(store);
  const mappingsDirectory = mappingsDirectoryOf(config);
  if (mappingsDirectory !== undefined && (options.publishMappings ?? withConnectors)) {
    const published = await publishMappingsDirectory(mappings, mappingsDirectory);
    if (published.length > 0)
      logger.info({ published, directory: mappingsDirectory }, 'mapping sets published from the mappings directory');
  }
  const secretStore = new SecretStore(store, protection.keyring);
  const secrets = new EnvSecretResolver(env, secretStore);
  const agents = agentRelay(store, Object.keys(config.agents));
  const connectors: Connectors = withConnectors
    ? await connectorsFromConfig(
        config,
        secrets,
        refreshTokenKeeper(config, secretStore, protection.keyring, logger),
        (agent, system, timeoutMs) =>
          agentTransport({ agent, system, timeoutMs, queue: agents.queue, sessions: agents.sessions }),
      )
    : {};
  const directory = syncedDirectory(config, connectors);
  const supplierStates = new StoreSupplierStates(store);
  const erp = connectors.erp;
  // The vendor master for supplier lookups: read on first use, then kept current by the vendor poller.
  const supplierLookup = new SupplierLookupIndex(
    erp === undefined
      ? undefined
      : {
          load: async () => ({
            vendors: await erp.port.vendorsChangedSince(null),
            states: await supplierStates.list(),
          }),
        },
  );
  const periods = new StorePeriodCalendar(store, config.periods);
  const section = config.flows.masterData;
  const masterData = masterDataServices({
    repository: new StoreMasterDataRepository(store),
    connectors,
    budgets: config.budgets,
    periods: config.periods,
    drift: { targets: section?.targets, expenseLists: section?.expenseLists },
    calendar: () => periods.calendar(),
    onError: (error) =>
      logger.warn(
        { err: error instanceof Error ? error.message : String(error) },
        'master data cache or budget figures not refreshed',
      ),
  });
  const services: FlowServices = {
    identity: new StoreIdentityMap(store),
    postings: new StorePostingLookup(store, protection.codec ?? plainCodec),
    accruals: new StoreAccrualSource(store),
    mappings: mappings.source,
    periods,
    masterData: masterData.repository,
    onMasterDataCommitted: () => masterData.cache.invalidate(),
    publishedMasterData: () => masterData.cache.index,
    supplierStates,
    supplierLookup,
  };
  const alerts = alertDispatcherFromConfig({ store, config, secrets, logger: engineLogger });
  const engine = new Engine({
    store,
    flows: withConnectors
      ? flowsFromConfig(
          config,
          directory === undefined ? connectors : { ...connectors, directory: directory.bound },
          services,
        )
      : [],
    settings: config.engine,
    owners: config.exceptionOwners,
    processes: config.processes,
    retention: config.retention,
    logger: engineLogger,
    ...(options.observe === undefined ? {} : { observe: options.observe }),
    protection: { codec: protection.codec ?? plainCodec, masker: protection.masker },
  });
  const erpSystems = Object.entries(config.systems)
    .filter(([, system]) => ERP_KINDS.has(system.kind))
    .map(([name]) => name);
  const scheduler = new Scheduler((task, error) =>
    logger.error({ task, err: error instanceof Error ? error.message : String(error) }, 'periodic work failed'),
  );
  return {
    config,
    store,
    logger,
    protection,
    secrets,
    mappings,
    connectors,
    services,
    masterData,
    engine,
    alerts,
    sla: slaPolicyFromConfig(config),
    reconciliation: reconciliationInputs(connectors, erpSystems),
    scheduler,
    agents,
    schedule(role) {
      if (role.api && agents.known.size > 0)
        scheduler.add({ name: 'agent call pruning', everyMs: AGENT_CALL_PRUNE_MS, run: () => agents.queue.prune() });
      if (role.worker && config.retention.payloadDays !== undefined) {
        scheduler.add({
          name: 'payload retention',
          everyMs: RETENTION_INTERVAL_MS,
          runAtStart: true,
          run: () => engine.prune({ actor: 'engine' }),
        });
      }
      const alertIntervalMs = alerts.intervalMs;
      if (role.worker && alertIntervalMs !== undefined)
        scheduler.add({
          name: 'alert delivery',
          everyMs: alertIntervalMs,
          runAtStart: true,
          run: () => alerts.runOnce(),
        });
      if (role.api) for (const task of masterData.periodicTasks()) scheduler.add(task);
      if (role.worker && directory !== undefined) {
        const copy = directory.bound.port;
        scheduler.add({ name: 'directory sync', everyMs: directory.everyMs, runAtStart: true, run: () => copy.sync() });
      }
    },
  };
}
