/**
 * The `reverse` step of invoice posting, between validate and post: a procurement invoice that comes
 * back with a new version after an earlier version was posted (rejected or withdrawn after export,
 * corrected, approved again: a new `updated-at`, a new run) is posted by the policy
 * `flows.postingCheck.reopened`, as expense reports are (expense-reopened.ts does the work):
 * - `reverse` (default): the same supplier invoice (amounts, accounts, tax, vendor; dates aside) is
 *   taken over and the invoice exported again; a version older than the one posted last posts
 *   nothing; a changed one first reverses the earlier supplier invoice (SAP `Cancel`, an effect
 *   scoped to the invoice), then the post step posts it under the run's own reference and the
 *   attach step links the earlier version's evidence too;
 * - `keep`: the earlier supplier invoice stands (the post step's invoice-scoped effect reuses it).
 */
import type { ErpPort, ErpPostingDocument, ErpSupplierInvoice } from '../../connectors/port.js';
import { EVIDENCE_STEP, type StepHandler } from '../../engine/step-api.js';
import type { PostingLookup } from '../../hub/ports.js';
import type { LinkedEvidence } from '../evidence/posting-evidence.js';
import type { PlannedErpDocument } from '../expense/expense-posting-steps.js';
import {
  carriedLinks,
  compareVersions,
  contentKey,
  reverseEarlier,
  type EarlierPosting,
} from '../expense/expense-reopened.js';

/** SAP's reversal reason "reversal in current period" (01): the reversal posts on the new version's date. */
const REVERSAL_REASON = '01';

type State = Readonly<Record<string, unknown>>;

/** The supplier invoice a run's state plans (the validate step's `document`). */
export function invoicePlanOf(state: State): PlannedErpDocument[] {
  const invoice = state['document'] as Omit<ErpSupplierInvoice, 'reference'> | undefined;
  return invoice === undefined ? [] : [{ group: 'supplier-invoice', kind: 'supplier_invoice', invoice }];
}

/** What the version posted last posted: its supplier invoice (`erpDocument`, `<number>/<year>`) and links. */
async function earlierPosting(
  postings: PostingLookup,
  run: { id: string; flow: string; system: string; documentId: string },
): Promise<(EarlierPosting & { readonly attached: boolean }) | undefined> {
  const [latest] = await postings.postedVersionsOf(run.flow, run.system, run.documentId, run.id);
  const erpDocument = latest?.state['erpDocument'];
  const planned = latest === undefined ? [] : invoicePlanOf(latest.state);
  const [first] = planned;
  if (latest === undefined || typeof erpDocument !== 'string' || first?.kind !== 'supplier_invoice') return undefined;
  const [documentNumber = erpDocument, fiscalYear = first.invoice.postingDate.slice(0, 4)] = erpDocument.split('/');
  const posted: ErpPostingDocument = {
    companyCode: first.invoice.companyCode,
    documentNumber,
    fiscalYear,
    postingDate: first.invoice.postingDate,
  };
  const attached = latest.state['attached'] as { linked?: LinkedEvidence[] } | undefined;
  return {
    attached: attached !== undefined,
    runId: latest.runId,
    version: latest.version,
    erpDocuments: [posted],
    planned,
    linked: attached?.linked ?? [],
  };
}

export function invoiceReverseStep(settings: {
  readonly erp: { readonly system: string; readonly port: ErpPort };
  readonly postings?: PostingLookup;
  readonly reopened: 'reverse' | 'keep';
  readonly now: () => number;
}): StepHandler {
  return async (ctx) => {
    if (settings.postings === undefined || settings.reopened === 'keep') return { next: 'post' };
    const earlier = await earlierPosting(settings.postings, ctx.run);
    if (earlier === undefined) return { next: 'post' };
    const link = { runId: earlier.runId, version: earlier.version };
    if (compareVersions(ctx.run.version, earlier.version) < 0)
      return {
        done: true,
        state: {
          skipped: `version ${earlier.version} of the invoice was posted after this version ${ctx.run.version}; nothing posted`,
        },
      };
    const [posted] = earlier.erpDocuments;
    if (contentKey(invoicePlanOf(ctx.run.state)) === contentKey(earlier.planned) && posted !== undefined)
      // The earlier supplier invoice is this version's: nothing reversed or posted; its evidence
      // linked when the earlier run had not linked it yet, and the invoice exported again.
      return {
        next: earlier.attached ? 'export' : EVIDENCE_STEP,
        state: { erpDocument: `${posted.documentNumber}/${posted.fiscalYear}`, sameAs: link },
        facts: { postedAt: settings.now() },
      };
    const postingDate = (ctx.run.state['document'] as { postingDate: string }).postingDate;
    const reversals = await reverseEarlier(ctx, settings.erp, earlier, postingDate, REVERSAL_REASON);
    return {
      next: 'post',
      state: { supersedes: { ...link, reversals }, carriedEvidence: carriedLinks(earlier.linked) },
    };
  };
}
