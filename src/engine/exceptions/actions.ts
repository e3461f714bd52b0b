/**
 * What an operator does with an exception (DESIGN.md section 7), each action one transaction, checked
 * against the state tables, recorded in the exception's history and the audit log with actor and reason:
 * - retry: the failed step again with the same input (the dead job is queued again);
 * - replay: from the failed step or from the start, with the run's mapping version (`same`) or the
 *   current one (`current`: the version is cleared and the flow records the one it maps with), and
 *   optionally an edited payload (the original and every edit kept as payload revisions);
 * - resolve (fixed outside the hub) and ignore (deliberately dropped), both with a reason.
 * Retry and replay move the exception to `retrying`; the engine resolves it when the run succeeds and
 * supersedes it with a new exception when the run fails again. For a quarantined event (no run) retry
 * and replay dispatch the event again, optionally with an edited payload.
 * Replaying from the start re-runs every step, but every external write goes through the effect ledger
 * under a key made of the run key, step and effect name: a write confirmed before is reused, not sent.
 */
import { LedgerlinkError } from '../../canonical/errors.js';
import {
  exceptionTransitions,
  runTransitions,
  transition,
  type ExceptionStatus,
} from '../../canonical/state-tables.js';
import type { Tx } from '../../store/port.js';
import type { ExceptionsTable } from '../../store/schema.js';
import { appendAudit } from '../audit-log.js';
import type { EngineDeps } from '../engine-deps.js';
import {
  lockedRun,
  requireReason,
  type ActionOutcome,
  type ExceptionActionRequest,
  type ExceptionActionResult,
} from './action-request.js';
import { recordExceptionAction } from './history.js';
import { redispatchEvent, requeueRun } from './rerun.js';

export {
  exceptionActionNames,
  type ExceptionActionName,
  type ExceptionActionRequest,
  type ExceptionActionResult,
  type ReplayOptions,
} from './action-request.js';

export async function actOnException(
  deps: EngineDeps,
  exceptionId: string,
  request: ExceptionActionRequest,
): Promise<ExceptionActionResult> {
  if (request.action === 'resolve' || request.action === 'ignore')
    requireReason(request, `to ${request.action} an exception`);
  if (request.replay?.payload !== undefined) requireReason(request, 'to replay with an edited payload');
  return deps.store.writeTransaction(async (tx) => {
    let query = tx.selectFrom('exceptions').selectAll().where('id', '=', exceptionId);
    if (deps.store.dialect === 'postgres') query = query.forUpdate();
    const exception = await query.executeTakeFirst();
    if (exception === undefined) throw new LedgerlinkError('LL_ERR_NOT_FOUND', `No exception ${exceptionId}`);
    const now = deps.now();
    const outcome =
      request.action === 'resolve' || request.action === 'ignore'
        ? await close(tx, exception, request, now)
        : exception.run_id === null
          ? await redispatchEvent(deps, tx, exception, request, now)
          : await requeueRun(deps, tx, exception, request, now);
    const data = {
      ...outcome.audit,
      reason: request.reason ?? null,
      runId: exception.run_id,
      eventId: exception.event_id,
    };
    await recordExceptionAction(tx, {
      exceptionId,
      action: request.action,
      actor: request.actor,
      reason: request.reason ?? null,
      data,
      at: now,
    });
    await appendAudit(tx, deps.store.dialect, {
      actor: request.actor,
      action: `exception.${request.action}`,
      subject: exceptionId,
      correlationId: outcome.correlationId,
      data,
      at: now,
    });
    if (outcome.result.jobId !== null) await deps.store.signalJobs(tx);
    return outcome.result;
  });
}

async function close(
  tx: Tx,
  exception: ExceptionsTable,
  request: ExceptionActionRequest,
  now: number,
): Promise<ActionOutcome> {
  const to = request.action === 'resolve' ? 'resolved' : 'ignored';
  const status = transition(exceptionTransitions, exception.status as ExceptionStatus, to, `exception ${exception.id}`);
  await tx
    .updateTable('exceptions')
    .set({ status, resolved_at: now, resolved_by: request.actor, resolution: request.reason ?? null, updated_at: now })
    .where('id', '=', exception.id)
    .execute();
  let runStatus: string | null = null;
  let correlationId: string | null = null;
  if (exception.run_id !== null) {
    const run = await lockedRun(tx, exception.run_id);
    correlationId = run.correlation_id;
    runStatus = run.status;
    // Only a run that waits for a person closes with its exception; an escalated run keeps retrying.
    if (run.status === 'exception') {
      runStatus = transition(runTransitions, 'exception', to, `run ${run.id}`);
      await tx
        .updateTable('runs')
        .set({ status: runStatus, updated_at: now, finished_at: now })
        .where('id', '=', run.id)
        .execute();
    }
  } else if (exception.event_id !== null) {
    const event = await tx
      .selectFrom('inbox_events')
      .select('correlation_id')
      .where('id', '=', exception.event_id)
      .executeTakeFirst();
    correlationId = event?.correlation_id ?? null;
  }
  return {
    result: {
      exceptionId: exception.id,
      action: request.action,
      status,
      runId: exception.run_id,
      runStatus,
      eventId: exception.event_id,
      jobId: null,
      waitingOn: null,
      revision: null,
    },
    correlationId,
    audit: { to: status, runStatus },
  };
}
