/**
 * Retry and replay: a quarantined event dispatched again (optionally with an edited payload), or a
 * run's failed step queued again, from the failed step or from the start, with the same or the
 * current mapping version; a step waiting on a paused connector is parked until it is resumed.
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
import { stringifyJson } from '../../canonical/strict-json.js';
import type { Tx } from '../../store/port.js';
import type { ExceptionsTable } from '../../store/schema.js';
import { connectorPausedError, isConnectorPaused } from '../connector-pause.js';
import type { EngineDeps } from '../engine-deps.js';
import { enqueueJob, PARKED_RUN_AT } from '../jobs.js';
import { sealColumn } from '../record-protection.js';
import { lockedRun, type ActionOutcome, type ExceptionActionRequest } from './action-request.js';
import { recordPayloadRevision, type RevisionRecorded } from './payload-revisions.js';

export async function redispatchEvent(
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

export async function requeueRun(
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
