/** The engine's front: ingest with group commit, the worker, and the read models, over one store. */
import type { Store } from '../store/port.js';
import { verifyAudit, type AuditVerdict } from './audit-log.js';
import { defaultEngineSettings, silentLogger, type EngineDeps, type EngineLogger, type EngineSettings, type StepObservation } from './engine-deps.js';
import { ExceptionOwners, type ExceptionClass } from './exceptions.js';
import { FlowRegistry } from './flow-registry.js';
import { IngestBatcher, type IngestRequest } from './ingest.js';
import { unprotected, type RecordProtection } from './record-protection.js';
import { getRunDetail, listRuns, traceCorrelation, type RunFilter } from './run-queries.js';
import type { FlowDefinition } from './step-api.js';
import { Worker } from './worker.js';

export interface EngineOptions {
  readonly store: Store;
  readonly flows: readonly FlowDefinition[];
  readonly settings?: Partial<EngineSettings>;
  readonly owners?: Partial<Record<ExceptionClass, string>>;
  readonly logger?: EngineLogger;
  readonly now?: () => number;
  readonly observe?: (observation: StepObservation) => void;
  readonly protection?: RecordProtection;
}

export class Engine {
  readonly deps: EngineDeps;
  readonly ingest: IngestBatcher;
  private worker: Worker | undefined;

  constructor(options: EngineOptions) {
    this.deps = {
      store: options.store,
      flows: new FlowRegistry(options.flows),
      owners: new ExceptionOwners(options.owners),
      settings: { ...defaultEngineSettings, ...options.settings },
      logger: options.logger ?? silentLogger,
      now: options.now ?? Date.now,
      ...(options.observe === undefined ? {} : { observe: options.observe }),
      protection: options.protection ?? unprotected,
    };
    this.ingest = new IngestBatcher(options.store, { onCommitted: () => this.worker?.wake(), protection: this.deps.protection });
  }

  get store(): Store {
    return this.deps.store;
  }

  /** Accepts one event; resolves once it is durable. */
  accept(request: IngestRequest) {
    return this.ingest.submit(request, this.deps.now());
  }

  async startWorker(options: { dispatch?: boolean } = {}): Promise<Worker> {
    if (this.worker === undefined) {
      this.worker = new Worker(this.deps, { dispatch: options.dispatch ?? true });
      await this.worker.start();
    }
    return this.worker;
  }

  async stopWorker(graceMs?: number): Promise<{ finished: number; released: number }> {
    const worker = this.worker;
    this.worker = undefined;
    return worker === undefined ? { finished: 0, released: 0 } : worker.stop(graceMs);
  }

  listRuns(filter: RunFilter) {
    return listRuns(this.deps.store.db, filter);
  }

  getRun(runId: string) {
    return getRunDetail(this.deps.store.db, runId, this.deps.protection.codec);
  }

  trace(correlationId: string) {
    return traceCorrelation(this.deps.store.db, correlationId);
  }

  verifyAudit(): Promise<AuditVerdict> {
    return verifyAudit(this.deps.store.db);
  }
}
