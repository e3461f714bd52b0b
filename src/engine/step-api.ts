/**
 * What a flow sees of the engine. Flows import only this file of the engine: they declare how an
 * event becomes a run, and the steps of that run; every external write goes through `ctx.effect`.
 */
import type { JsonValue } from '../canonical/strict-json.js';

export interface InboundEvent {
  readonly id: string;
  readonly system: string;
  readonly eventType: string;
  readonly correlationId: string;
  readonly receivedAt: number;
  /** The body as parsed by the strict, lossless JSON parser (numbers kept as text). */
  readonly payload: JsonValue;
  readonly headers: Readonly<Record<string, string>>;
}

/** How one event maps to a business document version; the run key is built from it. */
export interface RunSpec {
  readonly documentId: string;
  readonly version: string;
  /** The run's input, stored losslessly as JSON. */
  readonly input: JsonValue;
}

export interface RunView {
  readonly id: string;
  readonly runKey: string;
  readonly flow: string;
  readonly system: string;
  readonly documentId: string;
  readonly version: string;
  readonly correlationId: string;
  readonly mappingVersion: string | null;
  readonly input: JsonValue;
  readonly state: Readonly<Record<string, unknown>>;
}

export interface EffectRequest {
  /** The system written to; effects are unique per (system, idempotency key). */
  readonly system: string;
  /** Distinguishes several writes of one step (e.g. 'invoice', 'write-back'). */
  readonly name: string;
  /**
   * `run` (default): the key is the run's, so each version of a document writes its own effect.
   * `document`: the key is the same for every version of the run's source document, so a write that
   * must happen once per document (an ERP posting) is never made again by a run of another version:
   * that run reuses the confirmed effect, or waits (LL_ERR_EFFECT_IN_PROGRESS) while the other run
   * is still active.
   */
  readonly scope?: 'run' | 'document';
  /**
   * A key shared by runs of any document and flow (wins over `scope`): the write happens once for
   * it, e.g. one ERP vendor per employee whichever report needs it first. Another run that reaches
   * the effect while the writing run is still active waits (LL_ERR_EFFECT_IN_PROGRESS, retried);
   * once it is confirmed, every run reuses its remote ID.
   */
  readonly sharedKey?: string;
  /** Finds a document earlier created with this reference; null when there is none. */
  lookup(idempotencyKey: string): Promise<string | null>;
  /** Creates the document, sending the key in the target's native reference field; returns its ID. */
  create(idempotencyKey: string): Promise<string>;
}

export interface EffectResult {
  readonly remoteId: string;
  readonly idempotencyKey: string;
  /** True when no write was sent now: confirmed before, or found by lookup. */
  readonly reused: boolean;
}

/**
 * The step that links evidence (approvals, attachments) to documents posted earlier in the run. Its
 * effects annotate a posting; they are not postings themselves (reconciliation and the trace's ERP
 * documents leave them out).
 */
export const EVIDENCE_STEP = 'attach';

/**
 * The step that reverses documents an earlier version of the source document posted, before the new
 * version is posted. Its effects undo postings; reconciliation shows them as the chain's reversals,
 * not as postings.
 */
export const REVERSAL_STEP = 'reverse';

/**
 * The step of a posting flow that makes the document's payee an ERP vendor first (an employee's
 * vendor before their first report posts). Its effects create master data, not postings:
 * reconciliation and the trace's ERP documents leave them out.
 */
export const PAYEE_ONBOARDING_STEP = 'onboard-payee';

export interface StepContext {
  readonly run: RunView;
  readonly step: string;
  readonly attempt: number;
  /** Aborted when this worker loses the step's lease; pass it to outbound calls. */
  readonly signal: AbortSignal;
  /** Performs an external write exactly once for this run and step (DESIGN.md section 5). */
  effect(request: EffectRequest): Promise<EffectResult>;
}

/**
 * Business facts a step learned about its document; the engine writes them to the run's columns in
 * the same transaction as the outcome (KPIs, reconciliation and exception filters read them).
 */
export interface RunFacts {
  /** Legal entity (company code). */
  readonly entity?: string;
  /** The document's total. */
  readonly amount?: { readonly amount: string; readonly currency: string };
  /** Epoch milliseconds: source approval, ERP posting confirmed, payment cleared. */
  readonly approvedAt?: number;
  readonly postedAt?: number;
  readonly paidAt?: number;
  /** The mapping set version the run used (recorded once; a replay may choose it again). */
  readonly mappingVersion?: string;
}

export type StepOutcome =
  | { readonly next: string; readonly state?: Record<string, unknown>; readonly facts?: RunFacts }
  | { readonly done: true; readonly state?: Record<string, unknown>; readonly facts?: RunFacts };

export type StepHandler = (ctx: StepContext) => Promise<StepOutcome>;

/** One document or change a poller found; it becomes an inbox event like a webhook delivery. */
export interface PolledEvent {
  readonly eventType: string;
  /**
   * Stable per document version (e.g. `concur:expense:<id>:<version>`): a document seen again by
   * the next poll, or also delivered by webhook under the same key, is stored once.
   */
  readonly dedupeKey: string;
  readonly payload: JsonValue;
  readonly correlationId?: string;
}

export interface PollContext {
  /** What the previous successful poll returned as its cursor; null on the first poll. */
  readonly cursor: string | null;
  /** Aborted when the poll's lease runs out; pass it to outbound calls. */
  readonly signal: AbortSignal;
  readonly now: number;
}

export interface PollResult {
  readonly events: readonly PolledEvent[];
  /** Where the next poll starts (e.g. the newest change time seen). */
  readonly cursor: string | null;
}

/**
 * A trigger that reads a source system: on an interval or at times of day (UTC, `HH:MM`). Exactly one
 * worker runs a poller at a time (a lease on its `schedules` row); its events and then its cursor are
 * committed, so a crash in between re-polls and the inbox dedupes what was already stored.
 */
export interface PollerDefinition {
  /** Unique across flows, e.g. `expense-posting:ready`. */
  readonly name: string;
  /** The system the events are recorded under (the inbox's `system`). */
  readonly system: string;
  readonly intervalMs?: number;
  readonly schedule?: readonly string[];
  poll(ctx: PollContext): Promise<PollResult>;
}

export interface FlowDefinition {
  readonly name: string;
  /**
   * Whether this flow handles the event, and for which document version. Return null to leave it;
   * throw a LedgerlinkError to quarantine it as an exception (the event is kept, never dropped).
   */
  route(event: InboundEvent): RunSpec | null;
  readonly firstStep: string;
  readonly steps: Readonly<Record<string, StepHandler>>;
  readonly maxAttempts?: number;
  /** Triggers that read source systems; webhook events reach `route` without one. */
  readonly pollers?: readonly PollerDefinition[];
}
