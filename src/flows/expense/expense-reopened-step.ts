/**
 * The `reverse` step of expense posting, between validate and post: a revision after one already
 * posted takes the same postings over (then confirms), posts nothing when it is older than the one
 * posted last, and reverses the earlier documents first when its postings changed; the post step
 * then posts it under its own references. The decision and the reversals: expense-reopened.ts.
 */
import type { ErpPort } from '../../connectors/port.js';
import type { StepHandler } from '../../engine/step-api.js';
import type { PostingLookup } from '../../hub/ports.js';
import type { PlannedErpDocument } from './expense-posting-steps.js';
import { carriedLinks, reopenedDecision, reverseEarlier } from './expense-reopened.js';

/** SAP's reversal reason "reversal in current period" (01): the reversal posts on the new revision's date. */
const REVERSAL_REASON = '01';

export function reverseStep(settings: {
  readonly erp: { readonly system: string; readonly port: ErpPort };
  readonly postings?: PostingLookup;
  readonly reopened: 'reverse' | 'keep';
  readonly planOf: (state: Readonly<Record<string, unknown>>) => PlannedErpDocument[];
  readonly now: () => number;
}): StepHandler {
  const { erp, planOf } = settings;
  return async (ctx) => {
    const postingDate = ctx.run.state['postingDate'] as string;
    const decision =
      settings.postings === undefined || settings.reopened === 'keep'
        ? ({ kind: 'first' } as const)
        : await reopenedDecision(settings.postings, ctx.run, planOf(ctx.run.state), planOf);
    if (decision.kind === 'first') return { next: 'post' };
    const earlier = { runId: decision.earlier.runId, version: decision.earlier.version };
    if (decision.kind === 'stale')
      return {
        done: true,
        state: {
          skipped: `revision ${earlier.version} of the report was posted after this revision ${ctx.run.version}; nothing posted`,
        },
      };
    if (decision.kind === 'same')
      // The earlier revision's documents, already linked to their evidence, are this revision's too.
      return {
        next: 'confirm',
        state: {
          erpDocuments: decision.earlier.erpDocuments,
          erpDocumentKinds: decision.earlier.planned.map((p) => p.kind),
          sameAs: earlier,
        },
        facts: { postedAt: settings.now() },
      };
    const reversals = await reverseEarlier(ctx, erp, decision.earlier, postingDate, REVERSAL_REASON);
    return {
      next: 'post',
      state: { supersedes: { ...earlier, reversals }, carriedEvidence: carriedLinks(decision.earlier.linked) },
    };
  };
}
