/** The engine's front: ingest with group commit, the worker, and the read models, over one store. */
import type { LedgerlinkError } from '../canonical/errors.js';
import type { Store } from '../store/port.js';
import { verifyAudit, type AuditVerdict } from './audit-log.js';
import { defaultEngineSettings, silentLogger, type BackgroundTask, type EngineDeps, type EngineLogger, type EngineSettings, type StepObservation } from './engine-deps.js';
import { ExceptionOwners, type ExceptionClass } from './exceptions.js';
import { FlowRegistry } from './flow-registry.js';
import { IngestBatcher, type IngestRequest } from './ingest.js';
import { quarantineEvent, type QuarantinedEvent } from './quarantine.js';
import { getRunDetail, listRuns, traceCorrelation, type RunFilter } from './run-queries.js';
import type { PollOutcome } from './poller-runner.js';
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
  readonly isSystemPaused?: (system: string) => Promise<boolean>;
  /** Periodic work for dispatching workers (alert delivery). */
  readonly background?: readonly BackgroundTask[];
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
      ...(options.isSystemPaused === undefined ? {} : { isSystemPaused: options.isSystemPaused }),
      ...(options.background === undefined ? {} : { background: options.background }),
    };
    this.ingest = new IngestBatcher(options.store, { onCommitted: () => this.worker?.wake() });
  }

  get store(): Store {
    return this.deps.store;
  }

  /** Accepts one event; resolves once it is durable. */
  accept(request: IngestRequest) {
    return this.ingest.submit(request, this.deps.now());
  }

  /**
   * Quarantines an accepted event that cannot be processed as received (a signed delivery whose body
   * does not parse): an exception is opened for it at once. False when it was already handled.
   */
  quarantineAccepted(event: QuarantinedEvent, error: LedgerlinkError): Promise<boolean> {
    const now = this.deps.now();
    return this.deps.store.writeTransaction((tx) => quarantineEvent(this.deps, tx, event, error, now));
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

  /** Polls once now, in this process, if no other worker holds the poller (operators, tests). */
  async pollNow(name: string): Promise<PollOutcome> {
    const worker = this.worker ?? new Worker(this.deps, { dispatch: true });
    const outcome = await worker.pollers.runOnce(name);
    this.worker?.wake();
    return outcome;
  }

  /** The pollers' schedules: cursor, next run, last error. */
  schedules() {
    return this.deps.store.db.selectFrom('schedules').selectAll().orderBy('name').execute();
  }

  listRuns(filter: RunFilter) {
    return listRuns(this.deps.store.db, filter);
  }

  getRun(runId: string) {
    return getRunDetail(this.deps.store.db, runId);
  }

  trace(correlationId: string) {
    return traceCorrelation(this.deps.store.db, correlationId);
  }

  verifyAudit(): Promise<AuditVerdict> {
    return verifyAudit(this.deps.store.db);
  }
}
