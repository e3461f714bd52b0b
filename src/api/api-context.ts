/** What the HTTP layer is handed by the composition root: the engine, metrics, config and lifecycle. */
import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { MasterDataServices } from '../composition/master-data-services.js';
import type { LedgerlinkConfig } from '../config/load-config.js';
import type { Engine } from '../engine/engine.js';
import type { Metrics } from '../observability/metrics.js';

/** Shared, mutable process state: set when shutdown begins, read by ingest and readiness. */
export interface Lifecycle {
  shuttingDown: boolean;
}

export interface ApiContext {
  readonly engine: Engine;
  readonly metrics: Metrics;
  readonly config: LedgerlinkConfig;
  readonly lifecycle: Lifecycle;
  /** Master data, drift and the synchronous checks; absent in processes built without them. */
  readonly masterData?: MasterDataServices;
}

export type ApiServer = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;
