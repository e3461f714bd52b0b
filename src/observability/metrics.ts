/**
 * Prometheus metrics for one app instance, on its own Registry (never prom-client's global one, so
 * several instances in one process do not collide): ingest counters by system, step durations fed by
 * the engine's `observe` callback, and queue gauges read from the store when scraped.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { QueueSnapshot, QueueSnapshotSource } from './queue-snapshot.js';

/** The engine's step observation, typed structurally (observability does not import the engine). */
export interface StepSample {
  readonly flow: string;
  readonly step: string;
  readonly status: string;
  readonly durationMs: number;
}

export interface MetricsOptions {
  /** Reads the queues at scrape time; gauges stay empty without it. */
  readonly queues?: QueueSnapshotSource;
  /** Process and Node.js runtime metrics (CPU, memory, event loop lag). Default true. */
  readonly runtime?: boolean;
}

const KNOWN_JOB_STATUSES = ['queued', 'running', 'succeeded', 'dead'];
const KNOWN_RUN_STATUSES = ['running', 'waiting', 'succeeded', 'exception'];

/** Ingest counters per system, with the label children cached so the hot path does no lookups. */
class SystemCounter {
  private readonly children = new Map<string, Counter.Internal>();
  constructor(private readonly counter: Counter<'system'>) {}

  inc(system: string): void {
    let child = this.children.get(system);
    if (child === undefined) {
      child = this.counter.labels(system);
      this.children.set(system, child);
    }
    child.inc();
  }
}

export class Metrics {
  readonly registry = new Registry();
  private readonly accepted: SystemCounter;
  private readonly duplicates: SystemCounter;
  private readonly rejected: Counter<'system' | 'code'>;
  private readonly stepDuration: Histogram<'flow' | 'step' | 'status'>;
  private readonly snapshotFailures: Counter;
  private readonly queues: QueueSnapshotSource | undefined;
  private inFlight: Promise<QueueSnapshot | undefined> | undefined;

  constructor(options: MetricsOptions = {}) {
    const registers = [this.registry];
    this.queues = options.queues;
    if (options.runtime ?? true) collectDefaultMetrics({ register: this.registry });
    this.accepted = new SystemCounter(
      new Counter({
        name: 'ledgerlink_events_accepted_total',
        help: 'Inbound events stored in the inbox',
        labelNames: ['system'],
        registers,
      }),
    );
    this.duplicates = new SystemCounter(
      new Counter({
        name: 'ledgerlink_events_duplicate_total',
        help: 'Inbound deliveries recognised as duplicates',
        labelNames: ['system'],
        registers,
      }),
    );
    this.rejected = new Counter({
      name: 'ledgerlink_events_rejected_total',
      help: 'Inbound deliveries refused, by system and error code',
      labelNames: ['system', 'code'],
      registers,
    });
    this.stepDuration = new Histogram({
      name: 'ledgerlink_step_duration_seconds',
      help: 'Duration of run steps by flow, step and outcome',
      labelNames: ['flow', 'step', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    });
    this.snapshotFailures = new Counter({
      name: 'ledgerlink_queue_snapshot_failures_total',
      help: 'Scrapes whose queue gauges could not be read from the store',
      registers,
    });
    const snapshot = (): Promise<QueueSnapshot | undefined> => this.snapshot();
    new Gauge({
      name: 'ledgerlink_jobs',
      help: 'Jobs by status',
      labelNames: ['status'],
      registers,
      async collect() {
        const s = await snapshot();
        this.reset();
        if (s !== undefined) setByStatus(this, KNOWN_JOB_STATUSES, s.jobsByStatus);
      },
    });
    new Gauge({
      name: 'ledgerlink_runs',
      help: 'Runs by status',
      labelNames: ['status'],
      registers,
      async collect() {
        const s = await snapshot();
        this.reset();
        if (s !== undefined) setByStatus(this, KNOWN_RUN_STATUSES, s.runsByStatus);
      },
    });
    new Gauge({
      name: 'ledgerlink_exceptions_open',
      help: 'Open exceptions by class and owner',
      labelNames: ['class', 'owner'],
      registers,
      async collect() {
        const s = await snapshot();
        this.reset();
        for (const x of s?.openExceptions ?? []) this.set({ class: x.class, owner: x.owner }, x.count);
      },
    });
    new Gauge({
      name: 'ledgerlink_inbox_waiting',
      help: 'Inbox events received and not yet dispatched into runs',
      registers,
      async collect() {
        const s = await snapshot();
        if (s !== undefined) this.set(s.inboxWaiting);
      },
    });
  }

  /** Gauges of the ingest back-pressure: the backlog as last counted, its limit, and whether ingest is paused. */
  watchIngestBacklog(source: { state(): { backlog: number; limit: number; paused: boolean } }): void {
    const registers = [this.registry];
    new Gauge({
      name: 'ledgerlink_ingest_backlog',
      help: 'Inbox events waiting, jobs due and events being committed, as the ingest back-pressure last counted them',
      registers,
      collect() {
        this.set(source.state().backlog);
      },
    });
    new Gauge({
      name: 'ledgerlink_ingest_backlog_limit',
      help: 'The backlog at which webhook ingest answers 503 (server.backpressure.maxBacklog; 0: never)',
      registers,
      collect() {
        this.set(source.state().limit);
      },
    });
    new Gauge({
      name: 'ledgerlink_ingest_paused',
      help: '1 while webhook ingest refuses deliveries because of the backlog',
      registers,
      collect() {
        this.set(source.state().paused ? 1 : 0);
      },
    });
  }

  eventAccepted(system: string, duplicate: boolean): void {
    (duplicate ? this.duplicates : this.accepted).inc(system);
  }

  /** `system` must be a configured system (or a fixed placeholder): labels stay bounded. */
  eventRejected(system: string, code: string): void {
    this.rejected.inc({ system, code });
  }

  /** Feeds the engine's `observe` callback. */
  observeStep(sample: StepSample): void {
    this.stepDuration.observe(
      { flow: sample.flow, step: sample.step, status: sample.status },
      sample.durationMs / 1000,
    );
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The Prometheus text exposition; the queue gauges are read from the store once per call. */
  render(): Promise<string> {
    return this.registry.metrics();
  }

  /** One store read shared by every gauge of a scrape. */
  private snapshot(): Promise<QueueSnapshot | undefined> {
    if (this.queues === undefined) return Promise.resolve(undefined);
    const source = this.queues;
    this.inFlight ??= source()
      .catch(() => {
        this.snapshotFailures.inc();
        return undefined;
      })
      .finally(() => {
        this.inFlight = undefined;
      });
    return this.inFlight;
  }
}

function setByStatus(gauge: Gauge<'status'>, known: readonly string[], counts: ReadonlyMap<string, number>): void {
  for (const status of known) gauge.set({ status }, counts.get(status) ?? 0);
  for (const [status, n] of counts) if (!known.includes(status)) gauge.set({ status }, n);
}
