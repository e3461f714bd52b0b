/**
 * Executes one claimed job: runs the step, then records the outcome, the run's new state and the next
 * job in one fenced transaction (transactional outbox). Failures are classified: transient ones are
 * rescheduled with backoff until attempts run out; the rest become exceptions with an owner at once.
 */
import { createHash } from 'node:crypto';
import { isLedgerlinkError, LedgerlinkError } from '../canonical/errors.js';
import { runTransitions, transition, type RunStatus } from '../canonical/state-tables.js';
import { parseStrictJson } from '../canonical/strict-json.js';
import type { ClaimedJob, Tx } from '../store/port.js';
import type { RunsTable } from '../store/schema.js';
import { appendAudit } from './audit-log.js';
import { retryDelayMs } from './backoff.js';
import { performEffect } from './effect-ledger.js';
import { documentKeyOf } from './keys.js';
import type { EngineDeps } from './engine-deps.js';
import { parkForPausedConnector } from './connector-pause.js';
import { closeOnStepSuccess, escalateIfOverdue, supersedeRunExceptions } from './exceptions/lifecycle.js';
import {
  classifyFailure,
  insertException,
  maskFailure,
  retryableClasses,
  type ClassifiedFailure,
} from './exceptions/classification.js';
import { enqueueJob, fence, finishJob, rescheduleJob, type LeaseHolder } from './jobs.js';
import { LeaseHeartbeat } from './lease-heartbeat.js';
import { runFactColumns } from './run-facts.js';
import { openColumn, sealColumn, type PayloadCodec } from './record-protection.js';
import type { RunView, StepContext, StepOutcome } from './step-api.js';

const TERMINAL_RUN_STATUSES = new Set(['succeeded', 'resolved', 'ignored']);

export async function executeJob(deps: EngineDeps, job: ClaimedJob): Promise<void> {
  const holder: LeaseHolder = { job, leaseMs: deps.settings.leaseMs };
  const stored = await deps.store.db.selectFrom('runs').selectAll().where('id', '=', job.runId).executeTakeFirst();
  if (stored === undefined || TERMINAL_RUN_STATUSES.has(stored.status)) {
    await guarded(deps, job, () =>
      deps.store.writeTransaction(async (tx) => {
        const now = deps.now();
        await fence(tx, holder, now);
        await finishJob(
          tx,
          job.id,
          'succeeded',
          now,
          stored === undefined ? 'run missing' : `run already ${stored.status}`,
        );
      }),
    );
    return;
  }
  const started = deps.now();
  let run: RunsTable;
  try {
    run = openRunRow(deps.protection.codec, stored);
  } catch (error) {
    await guarded(deps, job, () =>
      recordFailure(deps, holder, stored, payloadDigest(stored), started, classifyFailure(error)),
    );
    return;
  }
  const digest = payloadDigest(run);
  if (job.attempts > job.maxAttempts) {
    // Claimed more often than allowed: earlier holders died or stalled mid-step (a crash loop).
    const failure = classifyFailure(
      new LedgerlinkError(
        'LL_ERR_ATTEMPTS_EXHAUSTED',
        `Step ${job.step} was started ${job.attempts - 1} times without finishing; its worker stopped each time`,
      ),
    );
    await guarded(deps, job, () =>
      recordFailure(deps, holder, run, digest, started, { ...failure, exceptionClass: 'transient' }),
    );
    return;
  }
  const view = toRunView(run);
  let outcome: StepOutcome;
  const heartbeat = new LeaseHeartbeat(deps.store, holder, deps.now);
  try {
    const handler = deps.flows.handler(run.flow, job.step);
    if (handler === undefined) {
      throw new LedgerlinkError('LL_ERR_CONFIG_INVALID', `Flow ${run.flow} has no step ${job.step}`);
    }
    const ctx: StepContext = {
      run: view,
      step: job.step,
      attempt: job.attempts,
      signal: heartbeat.signal,
      effect: (request) =>
        performEffect(
          {
            store: deps.store,
            holder,
            runId: run.id,
            runKey: run.run_key,
            documentKey: documentKeyOf(run.flow, run.system, run.document_id),
            step: job.step,
            now: deps.now,
            signal: heartbeat.signal,
          },
          request,
        ),
    };
    outcome = await handler(ctx);
    heartbeat.stop();
  } catch (error) {
    heartbeat.stop();
    if (isLeaseLost(error)) {
      deps.logger.warn(
        { jobId: job.id, runId: run.id, correlationId: run.correlation_id },
        'lease lost during step; another worker owns it',
      );
      return;
    }
    await guarded(deps, job, () => recordFailure(deps, holder, run, digest, started, classifyFailure(error)));
    return;
  }
  await guarded(deps, job, () => recordSuccess(deps, holder, run, digest, started, outcome));
}

/** A fenced-out completion is expected when a lease expired; anything else propagates. */
async function guarded(deps: EngineDeps, job: ClaimedJob, write: () => Promise<void>): Promise<void> {
  try {
    await write();
  } catch (error) {
    if (!isLeaseLost(error)) throw error;
    deps.logger.warn({ jobId: job.id, runId: job.runId }, 'completion rejected: lease expired or taken over');
  }
}

function isLeaseLost(error: unknown): boolean {
  return isLedgerlinkError(error) && error.code === 'LL_ERR_LEASE_LOST';
}

/** The row with its input and state opened (they may be sealed at rest). */
export function openRunRow(codec: PayloadCodec, run: RunsTable): RunsTable {
  return {
    ...run,
    input: openColumn(codec, 'runs', 'input', run.id, run.input),
    state: openColumn(codec, 'runs', 'state', run.id, run.state),
  };
}

/** An opened run row (see openRunRow) as steps see it. */
export function toRunView(run: RunsTable): RunView {
  return {
    id: run.id,
    runKey: run.run_key,
    flow: run.flow,
    system: run.system,
    documentId: run.document_id,
    version: run.version,
    correlationId: run.correlation_id,
    mappingVersion: run.mapping_version,
    input: parseStrictJson(run.input),
    state: JSON.parse(run.state) as Record<string, unknown>,
  };
}

/** The run's next status, checked against the run state table (LL_ERR_ILLEGAL_TRANSITION if not allowed). */
function moveRun(run: RunsTable, to: RunStatus): RunStatus {
  return transition(runTransitions, run.status as RunStatus, to, `run ${run.id}`);
}

function payloadDigest(run: RunsTable): string {
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

async function recordSuccess(
  deps: EngineDeps,
  holder: LeaseHolder,
  run: RunsTable,
  digest: string,
  started: number,
  outcome: StepOutcome,
): Promise<void> {
  await deps.store.writeTransaction(async (tx) => {
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
      await enqueueJob(deps.store, tx, {
        runId: run.id,
        step: outcome.next,
        maxAttempts: deps.owners.maxAttempts(run.flow, flow?.maxAttempts ?? deps.settings.maxAttempts),
        runAt: now,
        now,
      });
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
    }
  });
  deps.observe?.({ flow: run.flow, step: holder.job.step, status: 'succeeded', durationMs: deps.now() - started });
}

async function recordFailure(
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
