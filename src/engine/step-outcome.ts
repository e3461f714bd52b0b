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
import { recordConfirmations, type EffectConfirmation } from './effect-ledger.js';
import { retryDelayMs } from './backoff.js';
import { parkForPausedConnector } from './connector-pause.js';
import type { EngineDeps } from './engine-deps.js';
import { closeOnStepSuccess, escalateIfOverdue, supersedeRunExceptions } from './exceptions/lifecycle.js';
import { insertException, maskFailure, retryableClasses, type ClassifiedFailure } from './exceptions/classification.js';
import { enqueueHeldJob, enqueueJob, fence, finishJob, rescheduleJob, type LeaseHolder } from './jobs.js';
import type { ClaimedJob } from '../store/port.js';
import { runFactColumns, type FactColumns } from './run-facts.js';
import { sealColumn } from './record-protection.js';
import type { StepOutcome } from './step-api.js';

/** The run's next status, checked against the run state table (LL_ERR_ILLEGAL_TRANSITION if not allowed). */
function moveRun(run: RunsTable, to: RunStatus): RunStatus {
  return transition(runTransitions, run.status as RunStatus, to, `run ${run.id}`);
}

export function payloadDigest(run: RunsTable): string {
  return createHash('sha256').update(run.input).update('\u0000').update(run.state).digest('hex');
}

/** A step that ran and succeeded, as the history records it. */
export interface StepRun {
  readonly step: string;
  readonly started: number;
  /** When the step's work ended; when it is recorded, if not given. */
  readonly ended?: number;
  /** The digest of the run's input and state the step was given. */
  readonly digest: string;
}

async function recordStep(
  tx: Tx,
  holder: LeaseHolder,
  ran: StepRun,
  status: string,
  now: number,
  failure?: ClassifiedFailure,
): Promise<void> {
  await tx
    .insertInto('run_steps')
    .values({
      run_id: holder.job.runId,
      job_id: holder.job.id,
      step: ran.step,
      attempt: holder.job.attempts,
      status,
      started_at: ran.started,
      finished_at: ran.ended ?? now,
      duration_ms: (ran.ended ?? now) - ran.started,
      error_class: failure?.exceptionClass ?? null,
      error_code: failure?.code ?? null,
      error_message: failure?.message ?? null,
      payload_digest: ran.digest,
    })
    .execute();
}

/** The run's state after a step: what it was, with the step's state over it, masked as stored. */
export function stateAfter(deps: EngineDeps, run: RunsTable, outcome: StepOutcome): string {
  return deps.protection.masker.maskJsonText(
    JSON.stringify({ ...(JSON.parse(run.state) as object), ...(outcome.state ?? {}) }),
  );
}

/**
 * The run as the next step sees it when the worker goes on without recording the step before (see
 * executeJob): as it would read it back had the step been recorded.
 */
export function runAfterStep(deps: EngineDeps, run: RunsTable, outcome: StepOutcome & { next: string }): RunsTable {
  return {
    ...run,
    ...runFactColumns(outcome.facts),
    status: moveRun(run, 'running'),
    state: stateAfter(deps, run, outcome),
    current_step: outcome.next,
  };
}

/** What one job's steps came to: every step that succeeded in it, in order, and the last one's outcome. */
export interface StepsDone {
  /** The job's own step first, then the steps the worker went on with before recording (see executeJob). */
  readonly steps: readonly StepRun[];
  /** The outcome of the last step; the earlier steps' state and facts are already in the run given. */
  readonly outcome: StepOutcome;
  /** The earlier steps' facts, as run columns. */
  readonly earlierFacts: FactColumns;
  /** Writes the last step made that landed. */
  readonly confirmations?: readonly EffectConfirmation[];
}

/**
 * Records a step's success. With `holdAs` the run's next step is created as a job held by that
 * worker (see enqueueHeldJob) and answered, for the worker to run at once.
 */
export async function recordSuccess(
  deps: EngineDeps,
  holder: LeaseHolder,
  run: RunsTable,
  done: StepsDone,
  holdAs?: string,
): Promise<ClaimedJob | undefined> {
  const { outcome } = done;
  const last = done.steps[done.steps.length - 1]!;
  const held = await deps.store.writeTransaction(async (tx): Promise<ClaimedJob | undefined> => {
    const now = deps.now();
    await fence(tx, holder, now);
    await recordConfirmations(tx, done.confirmations ?? [], now);
    for (const ran of done.steps) await recordStep(tx, holder, ran, 'succeeded', now);
    await finishJob(tx, holder.job.id, 'succeeded', now, null);
    await closeOnStepSuccess(deps, tx, holder.job, run, !('next' in outcome), now);
    const facts = { ...done.earlierFacts, ...runFactColumns(outcome.facts) };
    const state = sealColumn(deps.protection.codec, 'runs', 'state', run.id, stateAfter(deps, run, outcome));
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
        data: { runKey: run.run_key, lastStep: last.step },
        at: now,
      });
      return undefined;
    }
  });
  const recorded = deps.now();
  for (const ran of done.steps)
    deps.observe?.({
      flow: run.flow,
      step: ran.step,
      status: 'succeeded',
      durationMs: (ran.ended ?? recorded) - ran.started,
    });
  return held;
}

export async function recordFailure(
  deps: EngineDeps,
  holder: LeaseHolder,
  run: RunsTable,
  digest: string,
  started: number,
  unmasked: ClassifiedFailure,
  confirmations: readonly EffectConfirmation[] = [],
): Promise<void> {
  const { job } = holder;
  const failure = maskFailure(deps.protection.masker, unmasked);
  const retry = retryableClasses.has(failure.exceptionClass) && job.attempts < job.maxAttempts;
  const crashLoop = failure.code === 'LL_ERR_ATTEMPTS_EXHAUSTED';
  const parkedOn = await deps.store.writeTransaction(async (tx) => {
    const now = deps.now();
    await fence(tx, holder, now);
    await recordConfirmations(tx, confirmations, now);
    const waitingOn = await parkForPausedConnector(deps, tx, job, run, failure, now);
    await recordStep(
      tx,
      holder,
      { step: job.step, started, digest },
      waitingOn !== undefined ? 'parked' : retry ? 'retrying' : 'failed',
      now,
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
