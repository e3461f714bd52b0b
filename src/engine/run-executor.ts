/**
 * Executes one claimed job: runs the step, then records the outcome, the run's new state and the next
 * job in one fenced transaction (transactional outbox); steps that made no external write are recorded
 * with the step after them. Failures are classified: transient ones are
 * rescheduled with backoff until attempts run out; the rest become exceptions with an owner at once.
 */
import { LedgerlinkError } from '../canonical/errors.js';
import type { ClaimedJob } from '../store/port.js';
import type { RunsTable } from '../store/schema.js';
import type { EffectConfirmation } from './effect-ledger.js';
import type { EngineDeps } from './engine-deps.js';
import { classifyFailure, type ClassifiedFailure } from './exceptions/classification.js';
import { fence, finishJob, type LeaseHolder } from './jobs.js';
import { runFactColumns, type FactColumns } from './run-facts.js';
import { attemptStep, failed, inStepSpan, isLeaseLost, openRunRow } from './step-attempt.js';
import {
  payloadDigest,
  recordFailure,
  recordSuccess,
  runAfterStep,
  type StepRun,
  type StepsDone,
} from './step-outcome.js';

const TERMINAL_RUN_STATUSES = new Set(['succeeded', 'resolved', 'ignored']);

/** How a worker goes on with a run's next step itself, while it is not stopping. */
export interface Continuation {
  /** The worker's lease owner name. */
  readonly owner: string;
  /** False once the worker stops: the next step is then queued for any worker. */
  readonly proceed: () => boolean;
  /** The job the worker now holds for the same run (its lease is what a stopping worker gives back). */
  readonly onHeld: (job: ClaimedJob) => void;
}

/**
 * Executes a claimed job and, with a continuation, the run's following steps as jobs the worker holds
 * from the moment the step before them is recorded: no queueing, no claim, no wait for a poll between
 * the steps of one run.
 */
export async function executeJob(deps: EngineDeps, job: ClaimedJob, continuation?: Continuation): Promise<void> {
  let current: ClaimedJob | undefined = job;
  while (current !== undefined) {
    current = await executeStep(deps, current, continuation?.proceed() === true ? continuation.owner : undefined);
    if (current !== undefined) continuation?.onHeld(current);
  }
}

/**
 * The most steps a worker goes on with before recording them. A step that made no external write
 * (it read, mapped or checked) is recorded together with the step after it: if the worker dies before,
 * the job is claimed again and such steps simply run again. A step that wrote is recorded at once.
 */
const MAX_UNRECORDED_STEPS = 16;

/** Steps that ran in this job and succeeded without writing, not yet recorded. */
interface Unrecorded {
  readonly steps: StepRun[];
  facts: FactColumns;
}

type StepEnd = { readonly held: ClaimedJob | undefined } | { readonly goOnWith: string };

async function executeStep(
  deps: EngineDeps,
  job: ClaimedJob,
  holdAs: string | undefined,
): Promise<ClaimedJob | undefined> {
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
    return undefined;
  }
  const started = deps.now();
  let run: RunsTable;
  try {
    run = openRunRow(deps.protection.codec, stored);
  } catch (error) {
    return inStepSpan(stored, job, job.step, async (span) => {
      const failure = classifyFailure(error);
      failed(span, error, failure);
      await guarded(deps, job, () => recordFailure(deps, holder, stored, payloadDigest(stored), started, failure));
      return undefined;
    });
  }
  if (job.attempts > job.maxAttempts) {
    // Claimed more often than allowed: earlier holders died or stalled mid-step (a crash loop).
    return inStepSpan(run, job, job.step, async (span) => {
      const error = new LedgerlinkError(
        'LL_ERR_ATTEMPTS_EXHAUSTED',
        `Step ${job.step} was started ${job.attempts - 1} times without finishing; its worker stopped each time`,
      );
      const failure = classifyFailure(error);
      failed(span, error, failure);
      await guarded(deps, job, () =>
        recordFailure(deps, holder, run, payloadDigest(run), started, { ...failure, exceptionClass: 'transient' }),
      );
      return undefined;
    });
  }
  const unrecorded: Unrecorded = { steps: [], facts: {} };
  let step = job.step;
  for (;;) {
    const end: StepEnd = await inStepSpan(run, job, step, async (span) => {
      const ran: StepRun = { step, started: deps.now(), digest: payloadDigest(run) };
      const attempt = await attemptStep(deps, holder, run, step, span);
      if (attempt === 'lease lost') return { held: undefined };
      if ('failure' in attempt) {
        await recordFailureAfter(deps, holder, run, unrecorded, ran, attempt, holdAs);
        return { held: undefined };
      }
      const { outcome } = attempt;
      if (
        'next' in outcome &&
        !attempt.wrote &&
        holdAs !== undefined &&
        unrecorded.steps.length < MAX_UNRECORDED_STEPS &&
        deps.flows.handler(run.flow, outcome.next) !== undefined
      ) {
        unrecorded.steps.push({ ...ran, ended: deps.now() });
        unrecorded.facts = { ...unrecorded.facts, ...runFactColumns(outcome.facts) };
        run = runAfterStep(deps, run, outcome);
        return { goOnWith: outcome.next };
      }
      const done: StepsDone = {
        steps: [...unrecorded.steps, ran],
        outcome,
        earlierFacts: unrecorded.facts,
        confirmations: attempt.confirmations,
      };
      return { held: await guarded(deps, job, () => recordSuccess(deps, holder, run, done, holdAs)) };
    });
    if ('held' in end) return end.held;
    step = end.goOnWith;
  }
}

/** A step failed: the steps before it in this job are recorded first, so the failure is its own. */
async function recordFailureAfter(
  deps: EngineDeps,
  holder: LeaseHolder,
  run: RunsTable,
  unrecorded: Unrecorded,
  ran: StepRun,
  attempt: { readonly failure: ClassifiedFailure; readonly confirmations: readonly EffectConfirmation[] },
  holdAs: string | undefined,
): Promise<void> {
  let failing = holder;
  if (unrecorded.steps.length > 0) {
    const done: StepsDone = { steps: unrecorded.steps, outcome: { next: ran.step }, earlierFacts: unrecorded.facts };
    const held = await guarded(deps, holder.job, () => recordSuccess(deps, holder, run, done, holdAs));
    if (held === undefined) return;
    failing = { job: held, leaseMs: holder.leaseMs };
  }
  await guarded(deps, failing.job, () =>
    recordFailure(deps, failing, run, ran.digest, ran.started, attempt.failure, attempt.confirmations),
  );
}

/** A fenced-out completion is expected when a lease expired; anything else propagates. */
async function guarded<T>(deps: EngineDeps, job: ClaimedJob, write: () => Promise<T>): Promise<T | undefined> {
  try {
    return await write();
  } catch (error) {
    if (!isLeaseLost(error)) throw error;
    deps.logger.warn({ jobId: job.id, runId: job.runId }, 'completion rejected: lease expired or taken over');
    return undefined;
  }
}
