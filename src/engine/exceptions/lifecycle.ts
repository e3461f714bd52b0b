/**
 * What the engine does to exceptions on its own, inside the transaction that records a step:
 * - escalation: a transient failure still retrying past the process's `escalateAfterMinutes` raises a
 *   visible exception (status `escalated`) while the retries go on;
 * - closing: when the step succeeds its escalation is resolved, and when the run succeeds (or a
 *   re-dispatched event becomes runs) the exception an operator retried or replayed is resolved;
 * - superseding: when a retried run or event fails again, the earlier exception is closed as
 *   `superseded` by the new one, which carries the new failure.
 */
import { exceptionTransitions, transition, type ExceptionStatus } from '../../canonical/state-tables.js';
import type { ClaimedJob, Tx } from '../../store/port.js';
import type { RunsTable } from '../../store/schema.js';
import { appendAudit } from '../audit-log.js';
import type { EngineDeps } from '../engine-deps.js';
import { recordExceptionAction } from './history.js';
import { insertException, type ClassifiedFailure } from './classification.js';

/** When the job's current series of failures began: its oldest attempt since it last succeeded or failed for good. */
async function retrySeriesStart(tx: Tx, jobId: string, currentStart: number): Promise<number> {
  const rows = await tx
    .selectFrom('run_steps')
    .select(['status', 'started_at'])
    .where('job_id', '=', jobId)
    .orderBy('id', 'desc')
    .limit(1_000)
    .execute();
  let start = currentStart;
  for (const row of rows) {
    if (row.status !== 'retrying' && row.status !== 'parked') break;
    start = Math.min(start, Number(row.started_at));
  }
  return start;
}

/** Raises an escalated exception for a step that keeps failing transiently past the process's limit. */
export async function escalateIfOverdue(
  deps: EngineDeps,
  tx: Tx,
  job: ClaimedJob,
  run: RunsTable,
  failure: ClassifiedFailure,
  started: number,
  now: number,
): Promise<void> {
  const limitMs = deps.owners.escalateAfterMs(run.flow);
  if (limitMs === undefined || failure.exceptionClass !== 'transient') return;
  const since = await retrySeriesStart(tx, job.id, started);
  if (now - since < limitMs) return;
  const existing = await tx
    .selectFrom('exceptions')
    .select('id')
    .where('job_id', '=', job.id)
    .where('status', '=', 'escalated')
    .executeTakeFirst();
  if (existing !== undefined) return;
  const minutes = Math.round((now - since) / 60_000);
  const exceptionId = await insertException(tx, {
    runId: run.id,
    eventId: run.event_id,
    jobId: job.id,
    step: job.step,
    failure: {
      ...failure,
      details: [
        ...failure.details,
        { message: `still retrying after ${minutes} minutes (${job.attempts} attempts)`, retryingSince: since },
      ],
    },
    owner: deps.owners.ownerOf('transient', run.flow),
    now,
    process: run.flow,
    entity: run.entity,
    slaDueAt: deps.owners.slaDueAt('transient', run.flow, now),
    status: 'escalated',
  });
  await appendAudit(tx, deps.store.dialect, {
    actor: 'engine',
    action: 'exception.escalated',
    subject: exceptionId,
    correlationId: run.correlation_id,
    data: { runId: run.id, step: job.step, attempts: job.attempts, code: failure.code, retryingSince: since },
    at: now,
  });
}

async function closeExceptions(
  deps: EngineDeps,
  tx: Tx,
  rows: readonly { id: string; status: string }[],
  to: 'resolved' | 'superseded',
  resolution: string,
  correlationId: string | null,
  now: number,
): Promise<void> {
  for (const row of rows) {
    transition(exceptionTransitions, row.status as ExceptionStatus, to, `exception ${row.id}`);
    await tx
      .updateTable('exceptions')
      .set({ status: to, resolved_at: now, resolved_by: 'engine', resolution, updated_at: now })
      .where('id', '=', row.id)
      .execute();
    const action = to === 'resolved' ? 'resolve' : 'supersede';
    await recordExceptionAction(tx, {
      exceptionId: row.id,
      action,
      actor: 'engine',
      reason: resolution,
      data: {},
      at: now,
    });
    await appendAudit(tx, deps.store.dialect, {
      actor: 'engine',
      action: `exception.${to}`,
      subject: row.id,
      correlationId,
      data: { resolution },
      at: now,
    });
  }
}

/** After a step succeeded: its escalation is resolved; when the run finished, so are retried exceptions. */
export async function closeOnStepSuccess(
  deps: EngineDeps,
  tx: Tx,
  job: ClaimedJob,
  run: RunsTable,
  runFinished: boolean,
  now: number,
): Promise<void> {
  const rows = await tx
    .selectFrom('exceptions')
    .select(['id', 'status', 'job_id'])
    .where('run_id', '=', run.id)
    .where('status', 'in', ['escalated', 'retrying'])
    .execute();
  const closing = rows.filter(
    (r) => (r.status === 'escalated' && r.job_id === job.id) || (r.status === 'retrying' && runFinished),
  );
  if (closing.length === 0) return;
  await closeExceptions(
    deps,
    tx,
    closing,
    'resolved',
    runFinished ? 'the run succeeded' : `step ${job.step} succeeded`,
    run.correlation_id,
    now,
  );
}

/** A new exception for the run replaces the ones still escalated or being retried. */
export async function supersedeRunExceptions(
  deps: EngineDeps,
  tx: Tx,
  run: RunsTable,
  newExceptionId: string,
  now: number,
): Promise<void> {
  const rows = await tx
    .selectFrom('exceptions')
    .select(['id', 'status'])
    .where('run_id', '=', run.id)
    .where('status', 'in', ['escalated', 'retrying'])
    .where('id', '!=', newExceptionId)
    .execute();
  await closeExceptions(deps, tx, rows, 'superseded', `superseded by ${newExceptionId}`, run.correlation_id, now);
}

/** A re-dispatched event became runs: its retried exception is resolved. */
export async function closeOnEventDispatched(
  deps: EngineDeps,
  tx: Tx,
  eventId: string,
  correlationId: string,
  now: number,
): Promise<void> {
  const rows = await tx
    .selectFrom('exceptions')
    .select(['id', 'status'])
    .where('event_id', '=', eventId)
    .where('run_id', 'is', null)
    .where('status', '=', 'retrying')
    .execute();
  await closeExceptions(deps, tx, rows, 'resolved', 'the event was dispatched', correlationId, now);
}

/** A re-dispatched event was quarantined again: the retried exception is superseded by the new one. */
export async function supersedeEventExceptions(
  deps: EngineDeps,
  tx: Tx,
  eventId: string,
  newExceptionId: string,
  correlationId: string,
  now: number,
): Promise<void> {
  const rows = await tx
    .selectFrom('exceptions')
    .select(['id', 'status'])
    .where('event_id', '=', eventId)
    .where('run_id', 'is', null)
    .where('status', '=', 'retrying')
    .where('id', '!=', newExceptionId)
    .execute();
  await closeExceptions(deps, tx, rows, 'superseded', `superseded by ${newExceptionId}`, correlationId, now);
}
