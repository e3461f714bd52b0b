/**
 * A report that comes back with a new revision after an earlier revision was posted (recalled,
 * corrected, resubmitted). By policy (`flows.postingCheck.reopened`):
 * - `reverse` (default): when the new revision would post something else than the earlier one, each
 *   ERP document the earlier revision posted is reversed (a supplier invoice with the ERP's reversal,
 *   SAP `Cancel`; a journal entry by an inverse journal entry, the published journal entry service
 *   having no reversal), then the new revision is posted under its own references. The same content
 *   again is not posted twice: the new revision takes the earlier documents as its own.
 * - `keep`: the earlier documents stand and nothing is posted again (the behaviour before revisions
 *   were compared).
 * A revision older than the one posted last (delivered late) posts nothing. Every reversal is an
 * effect scoped to the source document, so two runs of the report never reverse a document twice.
 */
import { LedgerlinkError } from '../../canonical/errors.js';
import type { ErpDocumentRef, ErpPort, ErpPostingDocument } from '../../connectors/port.js';
import type { StepContext } from '../../engine/step-api.js';
import type { PostingLookup } from '../../hub/ports.js';
import type { LinkedEvidence } from '../evidence/posting-evidence.js';
import type { PlannedErpDocument } from './expense-posting-steps.js';

/** What an earlier revision posted, and the evidence it linked. */
export interface EarlierPosting {
  readonly runId: string;
  readonly version: string;
  readonly erpDocuments: readonly ErpPostingDocument[];
  readonly planned: readonly PlannedErpDocument[];
  readonly linked: readonly LinkedEvidence[];
}

export type ReopenedDecision =
  { readonly kind: 'first' } | { readonly kind: 'same' | 'stale' | 'changed'; readonly earlier: EarlierPosting };

/** One reversal made: the earlier document and the document that reversed it. */
export interface ReversalRecord {
  readonly reversed: ErpPostingDocument & { readonly kind: ErpDocumentRef['kind'] };
  readonly by: ErpPostingDocument;
  readonly method: 'erp_reversal' | 'inverse_journal_entry';
}

/** Numeric revisions compare as numbers, anything else (timestamps) as text. */
export function compareVersions(a: string, b: string): number {
  if (/^\d+$/.test(a) && /^\d+$/.test(b)) return Number(a) - Number(b);
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The content of the postings, without dates: two revisions that post the same have the same key. */
export function contentKey(planned: readonly PlannedErpDocument[]): string {
  return JSON.stringify(
    planned.map((p) => {
      const body = p.kind === 'supplier_invoice' ? p.invoice : p.entry;
      const { postingDate: _p, documentDate: _d, ...rest } = body;
      return { group: p.group, kind: p.kind, ...rest };
    }),
  );
}

/**
 * Whether this run's document was posted before by another revision, and how this revision relates
 * to the one posted last. `planOf` recomputes the earlier revision's postings from its state.
 */
export async function reopenedDecision(
  postings: PostingLookup,
  run: {
    readonly id: string;
    readonly flow: string;
    readonly system: string;
    readonly documentId: string;
    readonly version: string;
  },
  planned: readonly PlannedErpDocument[],
  planOf: (state: Readonly<Record<string, unknown>>) => PlannedErpDocument[],
): Promise<ReopenedDecision> {
  const [latest] = await postings.postedVersionsOf(run.flow, run.system, run.documentId, run.id);
  const erpDocuments = latest?.state['erpDocuments'] as ErpPostingDocument[] | undefined;
  if (latest === undefined || erpDocuments === undefined) return { kind: 'first' };
  const attached = latest.state['attached'] as { linked?: LinkedEvidence[] } | undefined;
  const earlier: EarlierPosting = {
    runId: latest.runId,
    version: latest.version,
    erpDocuments,
    planned: planOf(latest.state),
    linked: attached?.linked ?? [],
  };
  if (compareVersions(run.version, latest.version) < 0) return { kind: 'stale', earlier };
  return { kind: contentKey(planned) === contentKey(earlier.planned) ? 'same' : 'changed', earlier };
}

/** Reverses every document the earlier revision posted, once per document whatever run asks. */
export async function reverseEarlier(
  ctx: StepContext,
  erp: { readonly system: string; readonly port: ErpPort },
  earlier: EarlierPosting,
  postingDate: string,
  reason: string,
): Promise<ReversalRecord[]> {
  const out: ReversalRecord[] = [];
  for (const [i, document] of earlier.erpDocuments.entries()) {
    const planned = earlier.planned[i];
    if (planned === undefined)
      throw new LedgerlinkError(
        'LL_ERR_VALIDATION',
        `ERP document ${document.documentNumber}/${document.fiscalYear} of revision ${earlier.version} cannot be matched to what that revision posted; reverse it in the ERP, then resolve this exception`,
        { details: [{ path: 'erpDocuments', message: 'no planned posting for the document', runId: earlier.runId }] },
      );
    const ref: ErpDocumentRef = {
      kind: planned.kind,
      documentId: document.documentNumber,
      fiscalYear: document.fiscalYear,
      companyCode: document.companyCode,
    };
    out.push(await reverseOne(ctx, erp, ref, planned, postingDate, reason));
  }
  return out;
}

async function reverseOne(
  ctx: StepContext,
  erp: { readonly system: string; readonly port: ErpPort },
  ref: ErpDocumentRef,
  planned: PlannedErpDocument,
  postingDate: string,
  reason: string,
): Promise<ReversalRecord> {
  const reversed = {
    kind: ref.kind,
    companyCode: ref.companyCode,
    documentNumber: ref.documentId,
    fiscalYear: ref.fiscalYear,
    postingDate: planned.kind === 'supplier_invoice' ? planned.invoice.postingDate : planned.entry.postingDate,
  };
  const name = `reverse-${ref.kind}-${ref.companyCode}-${ref.documentId}-${ref.fiscalYear}`;
  const by = (id: string): ErpPostingDocument => {
    const [documentNumber = id, fiscalYear = postingDate.slice(0, 4)] = id.split('/');
    return { companyCode: ref.companyCode, documentNumber, fiscalYear, postingDate };
  };
  if (planned.kind === 'supplier_invoice') {
    const { reverseSupplierInvoice, reversalOf } = erp.port;
    if (reverseSupplierInvoice === undefined || reversalOf === undefined)
      throw new LedgerlinkError(
        'LL_ERR_VALIDATION',
        `${erp.system} cannot reverse supplier invoice ${ref.documentId}/${ref.fiscalYear} through its API; reverse it in the ERP, then resolve this exception`,
        { details: [{ path: 'erpDocuments', message: 'no reversal in the ERP connector' }] },
      );
    const result = await ctx.effect({
      system: erp.system,
      name,
      scope: 'document',
      lookup: async () => {
        const found = await reversalOf.call(erp.port, ref);
        return found === null ? null : `${found.documentId}/${found.fiscalYear}`;
      },
      create: async () => {
        const done = await reverseSupplierInvoice.call(erp.port, ref, postingDate, reason);
        return `${done.documentId}/${done.fiscalYear}`;
      },
    });
    return { reversed, by: by(result.remoteId), method: 'erp_reversal' };
  }
  // The inverse journal entry: every line on the other side, under its own reference.
  const entry = planned.entry;
  const inverse = {
    ...entry,
    postingDate,
    documentDate: postingDate,
    headerText: `Rev ${ref.documentId}`.slice(0, 25),
    lines: entry.lines.map((l) => ({ ...l, side: l.side === 'D' ? ('C' as const) : ('D' as const) })),
  };
  const result = await ctx.effect({
    system: erp.system,
    name,
    scope: 'document',
    lookup: async (key) => {
      const found = await erp.port.findDocumentByReference('journal_entry', key, { companyCode: ref.companyCode });
      return found === null ? null : `${found.documentId}/${found.fiscalYear}`;
    },
    create: async (key) => {
      const done = await erp.port.postJournalEntry({ ...inverse, reference: key });
      return `${done.documentId}/${done.fiscalYear}`;
    },
  });
  return { reversed, by: by(result.remoteId), method: 'inverse_journal_entry' };
}

/** The evidence the earlier revision linked, to link on the new documents too (once per URL). */
export function carriedLinks(
  linked: readonly LinkedEvidence[],
): { purpose: 'attachment'; url: string; description: string }[] {
  const seen = new Map<string, { purpose: 'attachment'; url: string; description: string }>();
  for (const l of linked)
    if (!seen.has(l.url)) seen.set(l.url, { purpose: 'attachment', url: l.url, description: l.description });
  return [...seen.values()];
}
