/** What the HTTP layer is handed by the composition root: the engine, metrics, config and lifecycle. */
import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Mappings } from '../app-mappings.js';
import type { LedgerlinkConfig } from '../config/load-config.js';
import type { Engine } from '../engine/engine.js';
import type { SupplierLookupIndex } from '../flows/supplier-lookup-index.js';
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
  /** Resolves secret references (webhook secrets); the environment only when absent. */
  readonly secrets?: SecretResolver;
}

export type ApiServer = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;
