/**
 * Executes one claimed job: runs the step, then records the outcome, the run's new state and the next
 * job in one fenced transaction (transactional outbox). Failures are classified: transient ones are
 * rescheduled with backoff until attempts run out; the rest become exceptions with an owner at once.
 */
import { isLedgerlinkError, LedgerlinkError } from '../canonical/errors.js';
import { parseStrictJson } from '../canonical/strict-json.js';
import type { ClaimedJob } from '../store/port.js';
import type { RunsTable } from '../store/schema.js';
import { performEffect } from './effect-ledger.js';
import { documentKeyOf } from './keys.js';
import type { EngineDeps } from './engine-deps.js';
import { classifyFailure, type ClassifiedFailure } from './exceptions/classification.js';
import { inSpan, markFailed, type Span } from '../observability/tracing.js';
import { fence, finishJob, type LeaseHolder } from './jobs.js';
import { LeaseHeartbeat } from './lease-heartbeat.js';
import { openColumn, type PayloadCodec } from './record-protection.js';
import { payloadDigest, recordFailure, recordSuccess } from './step-outcome.js';
import type { EffectRequest, EffectResult, RunView, StepContext, StepOutcome } from './step-api.js';

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
  // The step's span continues the run's trace, whichever process created the run.
  return inSpan(
    `step ${stored.flow}.${job.step}`,
    {
      parent: stored.trace_context,
      attributes: {
        'ledgerlink.flow': stored.flow,
        'ledgerlink.step': job.step,
        'ledgerlink.run.id': stored.id,
        'ledgerlink.job.id': job.id,
        'ledgerlink.attempt': job.attempts,
        'ledgerlink.document.id': stored.document_id,
        'ledgerlink.correlation_id': stored.correlation_id,
      },
      log: { correlationId: stored.correlation_id, runId: stored.id },
    },
    (span) => runStep(deps, job, holder, stored, holdAs, span),
  );
}

async function runStep(
  deps: EngineDeps,
  job: ClaimedJob,
  holder: LeaseHolder,
  stored: RunsTable,
  holdAs: string | undefined,
  span: Span,
): Promise<ClaimedJob | undefined> {
  const started = deps.now();
  let run: RunsTable;
  try {
    run = openRunRow(deps.protection.codec, stored);
  } catch (error) {
    const failure = classifyFailure(error);
    failed(span, error, failure);
    await guarded(deps, job, () => recordFailure(deps, holder, stored, payloadDigest(stored), started, failure));
    return undefined;
  }
  const digest = payloadDigest(run);
  if (job.attempts > job.maxAttempts) {
    // Claimed more often than allowed: earlier holders died or stalled mid-step (a crash loop).
    const error = new LedgerlinkError(
      'LL_ERR_ATTEMPTS_EXHAUSTED',
      `Step ${job.step} was started ${job.attempts - 1} times without finishing; its worker stopped each time`,
    );
    const failure = classifyFailure(error);
    failed(span, error, failure);
    await guarded(deps, job, () =>
      recordFailure(deps, holder, run, digest, started, { ...failure, exceptionClass: 'transient' }),
    );
    return undefined;
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
        effectInSpan(request, () =>
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
        ),
    };
    outcome = await handler(ctx);
    heartbeat.stop();
  } catch (error) {
    heartbeat.stop();
    if (isLeaseLost(error)) {
      span.setAttribute('ledgerlink.step.outcome', 'lease_lost');
      deps.logger.warn(
        { jobId: job.id, runId: run.id, correlationId: run.correlation_id },
        'lease lost during step; another worker owns it',
      );
      return undefined;
    }
    const failure = classifyFailure(error);
    failed(span, error, failure);
    await guarded(deps, job, () => recordFailure(deps, holder, run, digest, started, failure));
    return undefined;
  }
  span.setAttributes(
    'done' in outcome
      ? { 'ledgerlink.step.outcome': 'done' }
      : { 'ledgerlink.step.outcome': 'next', 'ledgerlink.step.next': outcome.next },
  );
  return guarded(deps, job, () => recordSuccess(deps, holder, run, digest, started, outcome, holdAs));
}

/** An external write's span: its key, and whether it was reused (confirmed before, or found) or created now. */
function effectInSpan(request: EffectRequest, perform: () => Promise<EffectResult>): Promise<EffectResult> {
  return inSpan(
    `effect ${request.system}.${request.name}`,
    { attributes: { 'ledgerlink.effect.system': request.system, 'ledgerlink.effect.name': request.name } },
    async (span) => {
      const result = await perform();
      span.setAttributes({
        'ledgerlink.effect.idempotency_key': result.idempotencyKey,
        'ledgerlink.effect.reused': result.reused,
        'ledgerlink.effect.remote_id': result.remoteId,
      });
      return result;
    },
  );
}

function failed(span: Span, error: unknown, failure: ClassifiedFailure): void {
  span.setAttributes({ 'ledgerlink.step.outcome': 'failed', 'ledgerlink.exception.class': failure.exceptionClass });
  markFailed(span, error, failure.code);
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
