/**
 * Lifecycles as `as const` transition tables: each state lists the states it may move to. A move that
 * is not in the table is an error (LL_ERR_ILLEGAL_TRANSITION), never a silent overwrite. A state with
 * no exits is terminal.
 */
import { LedgerlinkError } from './errors.js';

/** Supplier master record: requested → approved → active ↔ blocked_for_payment → inactive. */
export const supplierStatuses = ['requested', 'approved', 'active', 'blocked_for_payment', 'inactive'] as const;
export type SupplierStatus = (typeof supplierStatuses)[number];

export const supplierTransitions = {
  requested: ['approved'],
  approved: ['active'],
  active: ['blocked_for_payment', 'inactive'],
  blocked_for_payment: ['active', 'inactive'],
  inactive: [],
} as const satisfies Record<SupplierStatus, readonly SupplierStatus[]>;

/**
 * A run (one flow execution for one document version), as the engine records it after each step:
 * - pending: created, its first step queued; running: a step finished and the next one is queued;
 * - waiting: a step failed transiently and is scheduled again with backoff;
 * - succeeded: posted and confirmed (terminal);
 * - exception: needs a person; retry/replay sends it back to pending (queued) or straight to running;
 * - resolved: a person fixed it outside the hub; ignored: deliberately dropped (both terminal).
 */
export const runStatuses = ['pending', 'running', 'waiting', 'succeeded', 'exception', 'resolved', 'ignored'] as const;
export type RunStatus = (typeof runStatuses)[number];

export const runTransitions = {
  pending: ['running', 'waiting', 'succeeded', 'exception'],
  running: ['running', 'waiting', 'succeeded', 'exception'],
  waiting: ['running', 'waiting', 'succeeded', 'exception'],
  succeeded: [],
  exception: ['pending', 'running', 'resolved', 'ignored'],
  resolved: [],
  ignored: [],
} as const satisfies Record<RunStatus, readonly RunStatus[]>;

/**
 * A job (one queued step execution): claimed under a lease; on failure it is queued again with
 * backoff or, attempts exhausted, dead; a released or expired lease puts it back in the queue; a
 * dead job is queued again when its exception is retried.
 */
export const jobStatuses = ['queued', 'running', 'succeeded', 'dead'] as const;
export type JobStatus = (typeof jobStatuses)[number];

export const jobTransitions = {
  queued: ['running'],
  running: ['succeeded', 'queued', 'dead'],
  succeeded: [],
  dead: ['queued'],
} as const satisfies Record<JobStatus, readonly JobStatus[]>;

/**
 * An exception (a failure that needs a person, or an escalation everyone should see):
 * - open: raised and waiting for its owner; escalated: a transient failure still retrying past its
 *   escalation time (visible while the engine keeps retrying);
 * - retrying: an operator retried or replayed it; the engine resolves it when the run succeeds, or
 *   supersedes it with a new exception when the run fails again;
 * - resolved, ignored, superseded: closed (terminal).
 */
export const exceptionStatuses = ['open', 'escalated', 'retrying', 'resolved', 'ignored', 'superseded'] as const;
export type ExceptionStatus = (typeof exceptionStatuses)[number];

export const exceptionTransitions = {
  open: ['retrying', 'resolved', 'ignored', 'superseded'],
  escalated: ['resolved', 'ignored', 'superseded'],
  retrying: ['resolved', 'superseded'],
  resolved: [],
  ignored: [],
  superseded: [],
} as const satisfies Record<ExceptionStatus, readonly ExceptionStatus[]>;

/** A connector: paused after an auth failure (its work waits), active again once an operator resumes it. */
export const connectorStatuses = ['active', 'paused'] as const;
export type ConnectorStatus = (typeof connectorStatuses)[number];

export const connectorTransitions = {
  active: ['paused'],
  paused: ['active'],
} as const satisfies Record<ConnectorStatus, readonly ConnectorStatus[]>;

export type TransitionTable = { readonly [state: string]: readonly string[] };
export type StateOf<T extends TransitionTable> = keyof T & string;

function exits(table: TransitionTable, from: string): readonly string[] | undefined {
  return Object.hasOwn(table, from) ? table[from] : undefined;
}

/** True when `from → to` is in the table. Unknown states (e.g. read from storage) are simply false. */
export function canTransition<T extends TransitionTable>(table: T, from: string, to: string): to is StateOf<T> {
  return exits(table, from)?.includes(to) === true && Object.hasOwn(table, to);
}

/**
 * Checks `from → to` against the table and returns `to`; otherwise throws LL_ERR_ILLEGAL_TRANSITION
 * naming the subject (e.g. "supplier S-1001", "run 01J…") and the moves that were allowed.
 */
export function transition<T extends TransitionTable>(
  table: T,
  from: StateOf<T>,
  to: StateOf<T>,
  subject: string,
): StateOf<T> {
  if (canTransition(table, from, to)) return to;
  const allowed = exits(table, from);
  const reason =
    allowed === undefined
      ? `unknown state ${JSON.stringify(from)}`
      : `allowed from ${from}: ${allowed.join(', ') || 'none (terminal)'}`;
  throw new LedgerlinkError('LL_ERR_ILLEGAL_TRANSITION', `${subject} cannot move from ${from} to ${to}; ${reason}`, {
    details: [{ message: reason, subject, from, to, allowed: allowed ?? [] }],
  });
}

/** True for a state with no exits. */
export function isTerminal<T extends TransitionTable>(table: T, state: StateOf<T>): boolean {
  return exits(table, state)?.length === 0;
}
