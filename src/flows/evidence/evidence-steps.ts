/**
 * The `attach` step (EVIDENCE_STEP) of invoice posting and of expense posting, built from
 * posting-evidence.ts: it reads what the run posted from its state, links the approval evidence and
 * the source document's attachments to each ERP document, and records what it linked and what it
 * could not link (`attached: { linked, skipped }` in the run's state).
 */
import type { SupplierInvoice } from '../../canonical/model/index.js';
import type { ErpDocumentRef, ErpPort, ErpPostingDocument, ExpenseDocument } from '../../connectors/port.js';
import type { StepHandler } from '../../engine/step-api.js';
import {
  attachEvidence,
  expenseEvidence,
  invoiceEvidence,
  type EvidenceLink,
  type EvidencePlan,
  type ExpensePages,
} from './posting-evidence.js';

interface AttachSettings {
  readonly erp: { readonly system: string; readonly port: ErpPort };
  /** The source system's name, as the evidence names it. */
  readonly source: string;
  /** The step after this one. */
  readonly next: string;
}

/**
 * Invoice posting: the supplier invoice in state `erpDocument` (`<number>/<fiscal year>`), the
 * procurement invoice in state `fetched.invoice`.
 */
export function invoiceAttachStep(
  settings: AttachSettings & { readonly invoicePageUrl?: (invoiceId: string) => string },
): StepHandler {
  return async (ctx) => {
    const { invoice } = ctx.run.state['fetched'] as { invoice: SupplierInvoice };
    const [documentId = '', fiscalYear = ''] = String(ctx.run.state['erpDocument']).split('/');
    const pageUrl = settings.invoicePageUrl?.(invoice.id);
    const own = invoiceEvidence(invoice, { system: settings.source, ...(pageUrl === undefined ? {} : { pageUrl }) });
    const plan = withCarried(own, ctx.run.state['carriedEvidence']);
    const posted: ErpDocumentRef = {
      kind: 'supplier_invoice',
      documentId,
      fiscalYear,
      companyCode: invoice.companyCode,
    };
    const linked = await attachEvidence(ctx, settings.erp, [posted], plan);
    return { next: settings.next, state: { attached: { linked, skipped: plan.skipped } } };
  };
}

/**
 * Expense posting: the ERP documents in state `erpDocuments` with their kinds, in the same order, in
 * `erpDocumentKinds`; the expense document in state `document`.
 */
export function expenseAttachStep(settings: AttachSettings & { readonly pages?: ExpensePages }): StepHandler {
  return async (ctx) => {
    const kinds = (ctx.run.state['erpDocumentKinds'] ?? []) as readonly ErpDocumentRef['kind'][];
    const documents = ((ctx.run.state['erpDocuments'] ?? []) as readonly ErpPostingDocument[]).flatMap(
      (d, i): ErpDocumentRef[] => {
        const kind = kinds[i];
        return kind === undefined
          ? []
          : [{ kind, documentId: d.documentNumber, fiscalYear: d.fiscalYear, companyCode: d.companyCode }];
      },
    );
    const { report } = ctx.run.state['document'] as ExpenseDocument;
    const own = expenseEvidence(report, { system: settings.source, pages: settings.pages ?? {} });
    const plan = withCarried(own, ctx.run.state['carriedEvidence']);
    const linked = await attachEvidence(ctx, settings.erp, documents, plan);
    return { next: settings.next, state: { attached: { linked, skipped: plan.skipped } } };
  };
}

/** A version that replaces a reversed posting carries the earlier version's links over (once per URL). */
function withCarried(own: EvidencePlan, carriedEvidence: unknown): EvidencePlan {
  const carried = ((carriedEvidence ?? []) as readonly EvidenceLink[]).filter(
    (c) => !own.links.some((l) => l.url === c.url),
  );
  return { ...own, links: [...own.links, ...carried] };
}
