/**
 * One attempt of one step: its span (continuing the run's trace), its handler run under a lease
 * heartbeat with effects going through the effect ledger, and what it came to.
 */
import { isLedgerlinkError, LedgerlinkError } from '../canonical/errors.js';
import type { ClaimedJob } from '../store/port.js';
import type { RunsTable } from '../store/schema.js';
import { inSpan, markFailed, type Span } from '../observability/tracing.js';
import { performEffect, type EffectConfirmation } from './effect-ledger.js';
import type { EngineDeps } from './engine-deps.js';
import { classifyFailure, type ClassifiedFailure } from './exceptions/classification.js';
import type { LeaseHolder } from './jobs.js';
import { documentKeyOf } from './keys.js';
import { LeaseHeartbeat } from './lease-heartbeat.js';
import { parseStrictJson } from '../canonical/strict-json.js';
import { openColumn, type PayloadCodec } from './record-protection.js';
import type { EffectRequest, EffectResult, RunView, StepContext, StepOutcome } from './step-api.js';

/** A step's span continues the run's trace, whichever process created the run. */
export function inStepSpan<T>(
  run: RunsTable,
  job: ClaimedJob,
  step: string,
  work: (span: Span) => Promise<T>,
): Promise<T> {
  return inSpan(
    `step ${run.flow}.${step}`,
    {
      parent: run.trace_context,
      attributes: {
        'ledgerlink.flow': run.flow,
        'ledgerlink.step': step,
        'ledgerlink.run.id': run.id,
        'ledgerlink.job.id': job.id,
        'ledgerlink.attempt': job.attempts,
        'ledgerlink.document.id': run.document_id,
        'ledgerlink.correlation_id': run.correlation_id,
      },
      log: { correlationId: run.correlation_id, runId: run.id },
    },
    work,
  );
}

/**
 * What an attempt came to. `confirmations` are the writes that landed during it, for the transaction
 * that records the attempt to confirm.
 */
export type StepAttempt =
  | { readonly outcome: StepOutcome; readonly wrote: boolean; readonly confirmations: readonly EffectConfirmation[] }
  | { readonly failure: ClassifiedFailure; readonly confirmations: readonly EffectConfirmation[] }
  | 'lease lost';

/** Runs one step's handler under a lease heartbeat; answers its outcome and whether it wrote anywhere. */
export async function attemptStep(
  deps: EngineDeps,
  holder: LeaseHolder,
  run: RunsTable,
  step: string,
  span: Span,
): Promise<StepAttempt> {
  const { job } = holder;
  const heartbeat = new LeaseHeartbeat(deps.store, holder, deps.now);
  let wrote = false;
  const confirmations: EffectConfirmation[] = [];
  try {
    const handler = deps.flows.handler(run.flow, step);
    if (handler === undefined) {
      throw new LedgerlinkError('LL_ERR_CONFIG_INVALID', `Flow ${run.flow} has no step ${step}`);
    }
    const ctx: StepContext = {
      run: toRunView(run),
      step,
      attempt: job.attempts,
      signal: heartbeat.signal,
      effect: (request) => {
        wrote = true;
        return effectInSpan(request, () =>
          performEffect(
            {
              store: deps.store,
              holder,
              runId: run.id,
              runKey: run.run_key,
              documentKey: documentKeyOf(run.flow, run.system, run.document_id),
              step,
              now: deps.now,
              signal: heartbeat.signal,
              confirmLater: (c) => confirmations.push(c),
            },
            request,
          ),
        );
      },
    };
    const outcome = await handler(ctx);
    span.setAttributes(
      'done' in outcome
        ? { 'ledgerlink.step.outcome': 'done' }
        : { 'ledgerlink.step.outcome': 'next', 'ledgerlink.step.next': outcome.next },
    );
    return { outcome, wrote, confirmations };
  } catch (error) {
    if (isLeaseLost(error)) {
      span.setAttribute('ledgerlink.step.outcome', 'lease_lost');
      deps.logger.warn(
        { jobId: job.id, runId: run.id, correlationId: run.correlation_id },
        'lease lost during step; another worker owns it',
      );
      return 'lease lost';
    }
    const failure = classifyFailure(error);
    failed(span, error, failure);
    return { failure, confirmations };
  } finally {
    heartbeat.stop();
  }
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

export function failed(span: Span, error: unknown, failure: ClassifiedFailure): void {
  span.setAttributes({ 'ledgerlink.step.outcome': 'failed', 'ledgerlink.exception.class': failure.exceptionClass });
  markFailed(span, error, failure.code);
}

export function isLeaseLost(error: unknown): boolean {
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
