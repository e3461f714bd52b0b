/** What the HTTP layer is handed by the composition root: the engine, metrics, config and lifecycle. */
import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { AgentRelay } from '../agent/relay/agent-relay.js';
import type { Mappings } from '../hub/mapping-sets/mappings.js';
import type { ReconciliationInputs } from '../insights/reconciliation/sources.js';
import type { MasterDataServices } from '../hub/master-data/services.js';
import type { LedgerlinkConfig } from '../config/load-config.js';
import type { Engine } from '../engine/engine.js';
import type { IngestBacklog } from '../engine/ingest-backlog.js';
import type { SlaPolicy } from '../insights/alerts/sla-policy.js';
import type { SupplierLookupIndex } from '../hub/suppliers/supplier-lookup-index.js';
import type { Metrics } from '../observability/metrics.js';
import type { SecretResolver } from '../security/secret-resolver.js';

/** Shared, mutable process state: set when shutdown begins, read by ingest and readiness. */
export interface Lifecycle {
  shuttingDown: boolean;
}

export interface ApiContext {
  readonly engine: Engine;
  readonly metrics: Metrics;
  readonly config: LedgerlinkConfig;
  readonly lifecycle: Lifecycle;
  readonly mappings: Mappings;
  /** The ERP vendor master in memory, for `GET /v1/suppliers/lookup`; absent without an ERP. */
  readonly supplierLookup?: SupplierLookupIndex;
  /** The source systems and ERP as reconciliation reads them; absent, it compares the hub's own runs. */
  readonly reconciliation?: ReconciliationInputs;
  /** Exception SLAs and the close window, for `GET /v1/kpis`; none configured when absent. */
  readonly sla?: SlaPolicy;
  /** Resolves secret references (webhook secrets); the environment only when absent. */
  readonly secrets?: SecretResolver;
  /** Master data, drift and the synchronous checks; absent in processes built without them. */
  readonly masterData?: MasterDataServices;
  /** Back-pressure for webhook ingest; deliveries are never refused for their backlog when absent. */
  readonly ingestBacklog?: IngestBacklog;
  /** The on-premises agents' call queue and sessions; absent, no agent can connect. */
  readonly agents?: AgentRelay;
}

export type ApiServer = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;
