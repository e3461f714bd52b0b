/** The engine's front: ingest with group commit, the worker, and the read models, over one store. */
import type { LedgerlinkError } from '../canonical/errors.js';
import type { Store } from '../store/port.js';
import { verifyAudit, type AuditVerdict } from './audit-log.js';
import { listAudit, type AuditFilter } from './read/audit-queries.js';
import {
  defaultEngineSettings,
  silentLogger,
  type EngineDeps,
  type EngineLogger,
  type EngineSettings,
  type StepObservation,
} from './engine-deps.js';
import { ExceptionOwners, type ExceptionClass, type ProcessPolicies } from './exceptions/classification.js';
import { FlowRegistry } from './flow-registry.js';
import { IngestBatcher, type IngestRequest } from './ingest.js';
import { quarantineEvent, type QuarantinedEvent } from './exceptions/quarantine.js';
import { unprotected, type RecordProtection } from './record-protection.js';
import { getRunDetail, listRuns, readRunStates, traceCorrelation, type RunFilter } from './read/run-queries.js';
import type { PollOutcome } from './poller-runner.js';
import type { FlowDefinition } from './step-api.js';
import { Worker } from './worker.js';
import { prunePayloads, type RetentionPolicy } from './retention.js';
import { businessTrace, findCorrelationId, type DocumentReference } from './read/business-trace.js';
import { listConnectorStates, resumeConnector } from './connector-pause.js';
import { actOnException, type ExceptionActionRequest } from './exceptions/actions.js';
import { bulkActOnExceptions, type BulkActionRequest } from './exceptions/bulk.js';
import { getExceptionDetail, listExceptions, type ExceptionFilter } from './exceptions/queries.js';

export interface EngineOptions {
  readonly store: Store;
  readonly flows: readonly FlowDefinition[];
  readonly settings?: Partial<EngineSettings>;
  readonly owners?: Partial<Record<ExceptionClass, string>>;
  /** Exception policy per business process (flow): owners, SLAs, attempts, escalation. */
  readonly processes?: ProcessPolicies;
  /** Payload retention: what `prune` removes (the hub's scheduler prunes hourly when payloadDays is set). */
  readonly retention?: RetentionPolicy;
  readonly logger?: EngineLogger;
  readonly now?: () => number;
  readonly observe?: (observation: StepObservation) => void;
  readonly isSystemPaused?: (system: string) => Promise<boolean>;
  readonly protection?: RecordProtection;
}

export class Engine {
  readonly deps: EngineDeps;
  readonly ingest: IngestBatcher;
  private worker: Worker | undefined;
  private readonly retention: RetentionPolicy;

  constructor(options: EngineOptions) {
    this.deps = {
      store: options.store,
      flows: new FlowRegistry(options.flows),
      owners: new ExceptionOwners(options.owners, options.processes),
      settings: { ...defaultEngineSettings, ...options.settings },
      logger: options.logger ?? silentLogger,
      now: options.now ?? Date.now,
      ...(options.observe === undefined ? {} : { observe: options.observe }),
      ...(options.isSystemPaused === undefined ? {} : { isSystemPaused: options.isSystemPaused }),
      protection: options.protection ?? unprotected,
    };
    this.retention = options.retention ?? {};
    this.ingest = new IngestBatcher(options.store, {
      onCommitted: () => this.worker?.wake(),
      protection: this.deps.protection,
    });
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
    return getRunDetail(this.deps.store.db, runId, this.deps.protection.codec);
  }

  /** Runs' states alone (opened when sealed), read together: for views that only need what the flows kept. */
  runStates(runIds: readonly string[]): Promise<Map<string, Record<string, unknown>>> {
    return readRunStates(this.deps.store.db, runIds, this.deps.protection.codec);
  }

  trace(correlationId: string) {
    return traceCorrelation(this.deps.store.db, correlationId);
  }

  /** The whole chain of one document: timeline and sections. */
  businessTrace(correlationId: string) {
    return businessTrace(this.deps.store.db, correlationId);
  }

  findCorrelationId(reference: DocumentReference) {
    return findCorrelationId(this.deps.store.db, reference);
  }

  listExceptions(filter: ExceptionFilter, page: { cursor?: string; limit?: number } = {}) {
    return listExceptions(this.deps.store.db, filter, page, this.deps.now());
  }

  getException(id: string) {
    return getExceptionDetail(this.deps.store.db, id, this.deps.protection.codec);
  }

  actOnException(id: string, request: ExceptionActionRequest) {
    return this.withWake(actOnException(this.deps, id, request));
  }

  bulkActOnExceptions(request: BulkActionRequest) {
    return this.withWake(bulkActOnExceptions(this.deps, request));
  }

  listConnectors() {
    return listConnectorStates(this.deps.store.db);
  }

  resumeConnector(system: string, actor: string, reason?: string) {
    return this.withWake(resumeConnector(this.deps.store, system, actor, reason, this.deps.now()));
  }

  /** Wakes this process's worker after an action queued work (re-dispatch included). */
  private async withWake<T>(action: Promise<T>): Promise<T> {
    const result = await action;
    this.worker?.wake();
    return result;
  }

  /** Prunes payloads past `retention.payloadDays` (or `days`); a dry run only counts. */
  prune(options: { actor: string; dryRun?: boolean; days?: number }) {
    const payloadDays = options.days ?? this.retention.payloadDays;
    if (payloadDays === undefined) return Promise.resolve(undefined);
    return prunePayloads(this.deps.store, {
      payloadDays,
      now: this.deps.now(),
      dryRun: options.dryRun ?? false,
      actor: options.actor,
    });
  }

  verifyAudit(): Promise<AuditVerdict> {
    return verifyAudit(this.deps.store.db);
  }

  listAudit(filter: AuditFilter, page: { readonly before?: number; readonly limit: number }) {
    return listAudit(this.deps.store.db, filter, page);
  }
}
