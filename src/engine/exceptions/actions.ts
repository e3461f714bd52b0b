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
  jobTransitions,
  runTransitions,
  transition,
  type ExceptionStatus,
  type JobStatus,
  type RunStatus,
} from '../../canonical/state-tables.js';
import { stringifyJson, type JsonValue } from '../../canonical/strict-json.js';
import type { Tx } from '../../store/port.js';
import type { ExceptionsTable, RunsTable } from '../../store/schema.js';
import { appendAudit } from '../audit-log.js';
import { connectorPausedError, isConnectorPaused } from '../connector-pause.js';
import { sealColumn } from '../record-protection.js';
import type { EngineDeps } from '../engine-deps.js';
import { recordExceptionAction } from './history.js';
import { enqueueJob, PARKED_RUN_AT } from '../jobs.js';
import { recordPayloadRevision, type RevisionRecorded } from './payload-revisions.js';

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

function badRequest(message: string, path: string): LedgerlinkError {
  return new LedgerlinkError('LL_ERR_BAD_REQUEST', message, { details: [{ path, message }] });
}

function requireReason(request: ExceptionActionRequest, why: string): string {
  const reason = request.reason?.trim();
  if (reason === undefined || reason === '') throw badRequest(`A reason is required ${why}`, 'reason');
  return reason;
}

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

interface ActionOutcome {
  readonly result: ExceptionActionResult;
  readonly correlationId: string | null;
  readonly audit: Record<string, unknown>;
}

async function lockedRun(tx: Tx, runId: string): Promise<RunsTable> {
  const run = await tx.selectFrom('runs').selectAll().where('id', '=', runId).executeTakeFirst();
  if (run === undefined) throw new LedgerlinkError('LL_ERR_NOT_FOUND', `The exception's run ${runId} is gone`);
  return run;
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

async function redispatchEvent(
  deps: EngineDeps,
  tx: Tx,
  exception: ExceptionsTable,
  request: ExceptionActionRequest,
  now: number,
): Promise<ActionOutcome> {
  if (exception.event_id === null)
    throw new LedgerlinkError('LL_ERR_NOT_FOUND', `Exception ${exception.id} has neither a run nor an event`);
  const event = await tx.selectFrom('inbox_events').selectAll().where('id', '=', exception.event_id).executeTakeFirst();
  if (event === undefined)
    throw new LedgerlinkError('LL_ERR_NOT_FOUND', `The exception's event ${exception.event_id} is gone`);
  const status = transition(
    exceptionTransitions,
    exception.status as ExceptionStatus,
    'retrying',
    `exception ${exception.id}`,
  );
  if (event.status !== 'quarantined') {
    throw new LedgerlinkError(
      'LL_ERR_ILLEGAL_TRANSITION',
      `event ${event.id} is ${event.status}, not quarantined; it cannot be dispatched again`,
      {
        details: [
          { message: 'event not quarantined', subject: `event ${event.id}`, from: event.status, to: 'received' },
        ],
      },
    );
  }
  let revision: RevisionRecorded | undefined;
  let payload = event.payload;
  if (request.replay?.payload !== undefined) {
    // An edited payload is stored like a received one: card numbers masked, sealed at rest.
    payload = sealColumn(
      deps.protection.codec,
      'inbox_events',
      'payload',
      event.id,
      deps.protection.masker.maskJsonText(stringifyJson(request.replay.payload)),
    );
    revision = await recordPayloadRevision(
      tx,
      { runId: null, eventId: event.id },
      event.payload,
      payload,
      request.actor,
      request.reason ?? '',
      now,
    );
  }
  await tx
    .updateTable('inbox_events')
    .set({
      status: 'received',
      payload,
      dispatched_at: null,
      note: JSON.stringify({ redispatchedBy: request.actor, exceptionId: exception.id }),
    })
    .where('id', '=', event.id)
    .execute();
  await tx.updateTable('exceptions').set({ status, updated_at: now }).where('id', '=', exception.id).execute();
  return {
    result: {
      exceptionId: exception.id,
      action: request.action,
      status,
      runId: null,
      runStatus: null,
      eventId: event.id,
      jobId: null,
      waitingOn: null,
      revision: revision?.revision ?? null,
    },
    correlationId: event.correlation_id,
    audit: { to: status, redispatched: true, ...(revision === undefined ? {} : { payload: revision }) },
  };
}

async function requeueRun(
  deps: EngineDeps,
  tx: Tx,
  exception: ExceptionsTable,
  request: ExceptionActionRequest,
  now: number,
): Promise<ActionOutcome> {
  const run = await lockedRun(tx, exception.run_id!);
  const from = request.action === 'retry' ? 'failed-step' : (request.replay?.from ?? 'failed-step');
  const mapping = request.action === 'retry' ? 'same' : (request.replay?.mapping ?? 'same');
  const failedJob =
    exception.job_id === null
      ? undefined
      : await tx.selectFrom('jobs').selectAll().where('id', '=', exception.job_id).executeTakeFirst();
  if (failedJob?.waiting_on !== null && failedJob?.waiting_on !== undefined)
    throw connectorPausedError(failedJob.waiting_on);
  const status = transition(
    exceptionTransitions,
    exception.status as ExceptionStatus,
    'retrying',
    `exception ${exception.id}`,
  );
  const runStatus = transition(runTransitions, run.status as RunStatus, 'pending', `run ${run.id}`);
  const waitingOn =
    exception.system !== null && (await isConnectorPaused(tx, exception.system)) ? exception.system : null;
  const maxAttempts = deps.owners.maxAttempts(
    run.flow,
    deps.flows.get(run.flow)?.maxAttempts ?? deps.settings.maxAttempts,
  );
  let jobId: string;
  let step: string;
  if (from === 'failed-step' && failedJob !== undefined) {
    transition(jobTransitions, failedJob.status as JobStatus, 'queued', `job ${failedJob.id}`);
    await tx
      .updateTable('jobs')
      .set({
        status: 'queued',
        attempts: 0,
        max_attempts: maxAttempts,
        run_at: waitingOn === null ? now : PARKED_RUN_AT,
        waiting_on: waitingOn,
        lease_owner: null,
        lease_until: null,
        updated_at: now,
      })
      .where('id', '=', failedJob.id)
      .execute();
    jobId = failedJob.id;
    step = failedJob.step;
  } else {
    const first = await tx
      .selectFrom('jobs')
      .select('step')
      .where('run_id', '=', run.id)
      .orderBy('created_at')
      .orderBy('id')
      .limit(1)
      .executeTakeFirst();
    step =
      from === 'start'
        ? (first?.step ?? run.current_step ?? exception.step ?? '')
        : (exception.step ?? run.current_step ?? first?.step ?? '');
    if (step === '') throw new LedgerlinkError('LL_ERR_NOT_FOUND', `Run ${run.id} has no step to start from`);
    jobId = await enqueueJob(deps.store, tx, { runId: run.id, step, maxAttempts, runAt: now, now, waitingOn });
  }
  let revision: RevisionRecorded | undefined;
  let input = run.input;
  if (request.replay?.payload !== undefined) {
    input = sealColumn(
      deps.protection.codec,
      'runs',
      'input',
      run.id,
      deps.protection.masker.maskJsonText(stringifyJson(request.replay.payload)),
    );
    revision = await recordPayloadRevision(
      tx,
      { runId: run.id, eventId: null },
      run.input,
      input,
      request.actor,
      request.reason ?? '',
      now,
    );
  }
  await tx
    .updateTable('runs')
    .set({
      status: runStatus,
      input,
      current_step: step,
      updated_at: now,
      finished_at: null,
      ...(from === 'start' ? { state: '{}' } : {}),
      ...(mapping === 'current' ? { mapping_version: null } : {}),
    })
    .where('id', '=', run.id)
    .execute();
  await tx.updateTable('exceptions').set({ status, updated_at: now }).where('id', '=', exception.id).execute();
  return {
    result: {
      exceptionId: exception.id,
      action: request.action,
      status,
      runId: run.id,
      runStatus,
      eventId: exception.event_id,
      jobId,
      waitingOn,
      revision: revision?.revision ?? null,
    },
    correlationId: run.correlation_id,
    audit: {
      to: status,
      from,
      mapping,
      step,
      jobId,
      previousMappingVersion: run.mapping_version,
      ...(waitingOn === null ? {} : { waitingOn }),
      ...(revision === undefined ? {} : { payload: revision }),
    },
  };
}
