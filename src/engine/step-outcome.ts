/**
 * Records what a step came to, in one fenced transaction: a success writes the step, the run's state
 * and facts and the next job (or finishes the run); a failure reschedules a transient one with backoff
 * while attempts last, parks a step whose connector is paused, and otherwise opens an exception with
 * its owner. The run's status moves only as the run state table allows.
 */
import { createHash } from 'node:crypto';
import { runTransitions, transition, type RunStatus } from '../canonical/state-tables.js';
import type { Tx } from '../store/port.js';
import type { RunsTable } from '../store/schema.js';
import { appendAudit } from './audit-log.js';
import { retryDelayMs } from './backoff.js';
import { parkForPausedConnector } from './connector-pause.js';
import type { EngineDeps } from './engine-deps.js';
import { closeOnStepSuccess, escalateIfOverdue, supersedeRunExceptions } from './exceptions/lifecycle.js';
import { insertException, maskFailure, retryableClasses, type ClassifiedFailure } from './exceptions/classification.js';
import { enqueueHeldJob, enqueueJob, fence, finishJob, rescheduleJob, type LeaseHolder } from './jobs.js';
import type { ClaimedJob } from '../store/port.js';
import { runFactColumns } from './run-facts.js';
import { sealColumn } from './record-protection.js';
import type { StepOutcome } from './step-api.js';

/** The run's next status, checked against the run state table (LL_ERR_ILLEGAL_TRANSITION if not allowed). */
function moveRun(run: RunsTable, to: RunStatus): RunStatus {
  return transition(runTransitions, run.status as RunStatus, to, `run ${run.id}`);
}

export function payloadDigest(run: RunsTable): string {
  return createHash('sha256').update(run.input).update('\u0000').update(run.state).digest('hex');
}

async function recordStep(
  tx: Tx,
  holder: LeaseHolder,
  status: string,
  started: number,
  now: number,
  digest: string,
  failure?: ClassifiedFailure,
): Promise<void> {
  await tx
    .insertInto('run_steps')
    .values({
      run_id: holder.job.runId,
      job_id: holder.job.id,
      step: holder.job.step,
      attempt: holder.job.attempts,
      status,
      started_at: started,
      finished_at: now,
      duration_ms: now - started,
      error_class: failure?.exceptionClass ?? null,
      error_code: failure?.code ?? null,
      error_message: failure?.message ?? null,
      payload_digest: digest,
    })
    .execute();
}

/**
 * Records a step's success. With `holdAs` the run's next step is created as a job held by that
 * worker (see enqueueHeldJob) and answered, for the worker to run at once.
 */
export async function recordSuccess(
  deps: EngineDeps,
  holder: LeaseHolder,
  run: RunsTable,
  digest: string,
  started: number,
  outcome: StepOutcome,
  holdAs?: string,
): Promise<ClaimedJob | undefined> {
  const held = await deps.store.writeTransaction(async (tx): Promise<ClaimedJob | undefined> => {
    const now = deps.now();
    await fence(tx, holder, now);
    await recordStep(tx, holder, 'succeeded', started, now, digest);
    await finishJob(tx, holder.job.id, 'succeeded', now, null);
    await closeOnStepSuccess(deps, tx, holder.job, run, !('next' in outcome), now);
    const facts = runFactColumns(outcome.facts);
    const merged = deps.protection.masker.maskJsonText(
      JSON.stringify({ ...(JSON.parse(run.state) as object), ...(outcome.state ?? {}) }),
    );
    const state = sealColumn(deps.protection.codec, 'runs', 'state', run.id, merged);
    if ('next' in outcome) {
      await tx
        .updateTable('runs')
        .set({ ...facts, status: moveRun(run, 'running'), state, current_step: outcome.next, updated_at: now })
        .where('id', '=', run.id)
        .execute();
      const flow = deps.flows.get(run.flow);
      const next = {
        runId: run.id,
        step: outcome.next,
        maxAttempts: deps.owners.maxAttempts(run.flow, flow?.maxAttempts ?? deps.settings.maxAttempts),
        runAt: now,
        now,
      };
      if (holdAs !== undefined) return enqueueHeldJob(tx, next, holdAs, holder.leaseMs);
      await enqueueJob(deps.store, tx, next);
      return undefined;
    } else {
      await tx
        .updateTable('runs')
        .set({
          ...facts,
          status: moveRun(run, 'succeeded'),
          state,
          current_step: null,
          updated_at: now,
          finished_at: now,
        })
        .where('id', '=', run.id)
        .execute();
      await appendAudit(tx, deps.store.dialect, {
        actor: 'engine',
        action: 'run.succeeded',
        subject: run.id,
        correlationId: run.correlation_id,
        data: { runKey: run.run_key, lastStep: holder.job.step },
        at: now,
      });
      return undefined;
    }
  });
  deps.observe?.({ flow: run.flow, step: holder.job.step, status: 'succeeded', durationMs: deps.now() - started });
  return held;
}

export async function recordFailure(
  deps: EngineDeps,
  holder: LeaseHolder,
  run: RunsTable,
  digest: string,
  started: number,
  unmasked: ClassifiedFailure,
): Promise<void> {
  const { job } = holder;
  const failure = maskFailure(deps.protection.masker, unmasked);
  const retry = retryableClasses.has(failure.exceptionClass) && job.attempts < job.maxAttempts;
  const crashLoop = failure.code === 'LL_ERR_ATTEMPTS_EXHAUSTED';
  const parkedOn = await deps.store.writeTransaction(async (tx) => {
    const now = deps.now();
    await fence(tx, holder, now);
    const waitingOn = await parkForPausedConnector(deps, tx, job, run, failure, now);
    await recordStep(
      tx,
      holder,
      waitingOn !== undefined ? 'parked' : retry ? 'retrying' : 'failed',
      started,
      now,
      digest,
      failure,
    );
    if (waitingOn !== undefined) return waitingOn;
    if (retry) {
      const runAt = now + retryDelayMs(job.attempts, deps.settings.backoff, failure.retryAfterMs);
      await rescheduleJob(tx, job.id, runAt, now, `${failure.code}: ${failure.message}`);
      await tx
        .updateTable('runs')
        .set({ status: moveRun(run, 'waiting'), updated_at: now })
        .where('id', '=', run.id)
        .execute();
      await escalateIfOverdue(deps, tx, job, run, failure, started, now);
      return undefined;
    }
    const exhausted = retryableClasses.has(failure.exceptionClass) && !crashLoop;
    const recorded: ClassifiedFailure = exhausted
      ? {
          ...failure,
          details: [...failure.details, { message: `gave up after ${job.attempts} attempts`, lastCode: failure.code }],
          code: 'LL_ERR_ATTEMPTS_EXHAUSTED',
        }
      : failure;
    await finishJob(tx, job.id, 'dead', now, `${failure.code}: ${failure.message}`);
    const exceptionId = await insertException(
      tx,
      {
        runId: run.id,
        eventId: run.event_id,
        jobId: job.id,
        step: job.step,
        failure: recorded,
        owner: deps.owners.ownerOf(recorded.exceptionClass, run.flow),
        now,
        process: run.flow,
        entity: run.entity,
        slaDueAt: deps.owners.slaDueAt(recorded.exceptionClass, run.flow, now),
      },
      deps.protection,
    );
    await supersedeRunExceptions(deps, tx, run, exceptionId, now);
    await tx
      .updateTable('runs')
      .set({ status: moveRun(run, 'exception'), updated_at: now })
      .where('id', '=', run.id)
      .execute();
    await appendAudit(tx, deps.store.dialect, {
      actor: 'engine',
      action: 'run.exception',
      subject: run.id,
      correlationId: run.correlation_id,
      data: {
        exceptionId,
        class: recorded.exceptionClass,
        code: recorded.code,
        step: job.step,
        attempts: job.attempts,
      },
      at: now,
    });
    return undefined;
  });
  deps.logger.warn(
    {
      runId: run.id,
      jobId: job.id,
      step: job.step,
      code: failure.code,
      class: failure.exceptionClass,
      correlationId: run.correlation_id,
      retry,
      parkedOn,
    },
    parkedOn !== undefined
      ? `step failed; waiting for connector ${parkedOn} to resume`
      : retry
        ? 'step failed; retrying'
        : 'step failed; exception raised',
  );
  deps.observe?.({
    flow: run.flow,
    step: job.step,
    status: retry || parkedOn !== undefined ? 'retrying' : 'failed',
    durationMs: deps.now() - started,
    exceptionClass: failure.exceptionClass,
  });
}
