/** What an operator asks of an exception, what the action answers, and the checks every action shares. */
import { LedgerlinkError } from '../../canonical/errors.js';
import type { ExceptionStatus } from '../../canonical/state-tables.js';
import type { JsonValue } from '../../canonical/strict-json.js';
import type { Tx } from '../../store/port.js';
import type { RunsTable } from '../../store/schema.js';

export const exceptionActionNames = ['retry', 'replay', 'resolve', 'ignore'] as const;
export type ExceptionActionName = (typeof exceptionActionNames)[number];

export interface ReplayOptions {
  readonly from?: 'failed-step' | 'start';
  readonly mapping?: 'same' | 'current';
  /** Replaces the run's input (or the quarantined event's payload); the original is kept. */
  readonly payload?: JsonValue;
}

export interface ExceptionActionRequest {
  readonly action: ExceptionActionName;
  /** Who acts, as audited: `token:<name>` or `cli:<user>`. */
  readonly actor: string;
  readonly reason?: string | undefined;
  readonly replay?: ReplayOptions;
}

export interface ExceptionActionResult {
  readonly exceptionId: string;
  readonly action: ExceptionActionName;
  readonly status: ExceptionStatus;
  readonly runId: string | null;
  readonly runStatus: string | null;
  readonly eventId: string | null;
  readonly jobId: string | null;
  /** The paused connector the re-queued step waits for, when there is one. */
  readonly waitingOn: string | null;
  /** The payload revision written by an edit. */
  readonly revision: number | null;
}

export interface ActionOutcome {
  readonly result: ExceptionActionResult;
  readonly correlationId: string | null;
  readonly audit: Record<string, unknown>;
}

export function badRequest(message: string, path: string): LedgerlinkError {
  return new LedgerlinkError('LL_ERR_BAD_REQUEST', message, { details: [{ path, message }] });
}

export function requireReason(request: ExceptionActionRequest, why: string): string {
  const reason = request.reason?.trim();
  if (reason === undefined || reason === '') throw badRequest(`A reason is required ${why}`, 'reason');
  return reason;
}

export async function lockedRun(tx: Tx, runId: string): Promise<RunsTable> {
  const run = await tx.selectFrom('runs').selectAll().where('id', '=', runId).executeTakeFirst();
  if (run === undefined) throw new LedgerlinkError('LL_ERR_NOT_FOUND', `The exception's run ${runId} is gone`);
  return run;
}
