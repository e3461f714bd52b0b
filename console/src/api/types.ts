/** The shapes of the API answers the console reads (see the OpenAPI document at /docs). */
export interface Money {
  readonly amount: string;
  readonly currency: string;
}

export interface SessionInfo {
  readonly name: string;
  readonly roles: readonly string[];
  readonly actions: readonly string[];
  readonly expiresAt: string;
}

export interface Latency {
  readonly count: number;
  readonly p50Ms: number | null;
  readonly p95Ms: number | null;
}

export interface Rate {
  readonly succeeded: number;
  readonly finished: number;
  readonly rate: number | null;
}

export interface Kpis {
  readonly window: { from: string; to: string; entity: string | null };
  readonly postings: readonly { process: string; entity: string | null; status: string; count: number }[];
  readonly postedPerHour: readonly { hour: string; process: string; count: number }[];
  readonly successRate: {
    overall: Rate;
    byProcess: readonly (Rate & { process: string })[];
    byEntity: readonly (Rate & { entity: string | null })[];
  };
  readonly latency: { approvalToPosting: Latency; postingToPayment: Latency; approvalToPayment: Latency };
  /** Per UTC day of the window (days without a value left out): exact when the day's bucket held one value, else to three significant digits. */
  readonly latencyOverTime: {
    approvalToPosting: readonly (Latency & { day: string })[];
    postingToPayment: readonly (Latency & { day: string })[];
  };
  readonly exceptions: readonly {
    class: string;
    owner: string;
    open: number;
    createdInWindow: number;
    slaBreached: number;
  }[];
  readonly queue: { jobsByStatus: Readonly<Record<string, number>>; inboxPending: number };
  readonly connectors: {
    pollers: readonly {
      name: string;
      lastRunAt: string | null;
      nextRunAt: string | null;
      lastError: string | null;
      runs: number;
    }[];
    paused: readonly { system: string; since: string | null; reason: string | null }[];
  };
  readonly closeWindow: { active: boolean; [key: string]: unknown };
}

export interface ConnectorState {
  readonly system: string;
  readonly status: string;
  readonly since: string | null;
  readonly reason: string | null;
  readonly waitingJobs: number;
}

export interface ExceptionItem {
  readonly id: string;
  readonly status: string;
  readonly class: string;
  readonly owner: string;
  readonly code: string;
  readonly message: string;
  readonly process: string | null;
  readonly entity: string | null;
  readonly system: string | null;
  readonly step: string | null;
  readonly runId: string | null;
  readonly documentId: string | null;
  readonly correlationId: string | null;
  readonly amount: Money | null;
  readonly runStatus: string | null;
  readonly attempts: number | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly slaDueAt: string | null;
  readonly resolution: string | null;
}

export interface ExceptionPage {
  readonly exceptions: readonly ExceptionItem[];
  readonly next: string | null;
}

export interface RunStep {
  readonly step: string;
  readonly status: string;
  readonly attempt?: number;
  readonly startedAt?: string | null;
  readonly finishedAt?: string | null;
  readonly error?: unknown;
  readonly [key: string]: unknown;
}

export interface ExceptionDetail extends ExceptionItem {
  readonly details: unknown;
  readonly history: readonly { at: string; action: string; actor: string; reason: string | null; data: unknown }[];
  readonly run: {
    readonly id: string;
    readonly status: string;
    readonly mappingVersion: string | null;
    readonly correlationId: string;
    readonly steps: readonly RunStep[];
    readonly [key: string]: unknown;
  } | null;
  readonly revisions: readonly { revision: number; author: string; reason: string; at: string }[];
}

export interface TraceEntry {
  readonly at: string;
  readonly kind: string;
  readonly id: string;
  readonly summary: string;
  readonly data: Readonly<Record<string, unknown>>;
}

export interface Trace {
  readonly correlationId: string;
  readonly source?: Readonly<Record<string, unknown>> | null;
  readonly entries: readonly TraceEntry[];
  readonly erpDocuments?: readonly Readonly<Record<string, unknown>>[];
  readonly payments?: readonly Readonly<Record<string, unknown>>[];
  readonly mappingVersions?: readonly string[];
}

export interface BulkAnswer {
  readonly dryRun: boolean;
  readonly action: string;
  readonly total: number;
  readonly ids?: readonly string[];
  readonly succeeded?: number;
  readonly failed?: number;
}

export interface PeriodRow {
  readonly entity: string;
  readonly period: string;
  readonly status: string;
  readonly source: string;
  readonly reason?: string | null;
  readonly [key: string]: unknown;
}
