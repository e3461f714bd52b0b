/**
 * The `attach` step shared by invoice and expense posting: after the ERP documents are posted, each
 * gets, as URL attachments an auditor sees in the ERP,
 *   - one approval evidence link: its description names the approvers and times (procurement:
 *     each approval's approver and date, oldest first; expense platform: approved for payment and
 *     submitted times, since FIS names no approver), its URL is the source document's page;
 *   - every attachment of the source document that is an http(s) URL (the scanned invoice image,
 *     URL attachments, receipt images through the configured receipt URL), with its name.
 * A run's links are one effect named after the documents and the URLs, and one call to the ERP (a
 * `$batch` change set on SAP), looked up through the ERP's lists of the documents' attachments, so a
 * retry or replay never links twice. Links the ERP cannot take
 * (not http(s), longer than its 255 characters, no page URL configured) are listed in the run's
 * state as skipped. A transient failure retries the step; a refusal becomes an exception that says
 * the posting stands: the posting is an effect of its own and is never repeated.
 */
import { createHash } from 'node:crypto';
import { isLedgerlinkError, LedgerlinkError } from '../../canonical/errors.js';
import type { ApprovalEvidence, AttachmentRef, ExpenseReport, SupplierInvoice } from '../../canonical/model/index.js';
import type { ErpAttachmentLink, ErpDocumentRef, ErpPort } from '../../connectors/port.js';
import type { StepContext } from '../../engine/step-api.js';

/** What the ERP keeps of a link's URL and description (ErpAttachmentLink; SAP's Url and UrlDescription). */
export const LINK_TEXT_LIMIT = 255;

export interface EvidenceLink extends ErpAttachmentLink {
  readonly purpose: 'approval' | 'attachment';
}

export interface SkippedLink {
  readonly uri: string;
  readonly reason: string;
}

export interface EvidencePlan {
  readonly links: readonly EvidenceLink[];
  readonly skipped: readonly SkippedLink[];
}

export interface LinkedEvidence {
  /** `<kind> <document>/<fiscal year>` of the ERP document. */
  readonly document: string;
  readonly url: string;
  readonly description: string;
  /** The ERP's id of the attachment. */
  readonly attachmentId: string;
}

/** `2025-05-30 16:30 UTC` for an instant; the text as given when it is not one. */
export function evidenceTime(instant: string): string {
  const ms = Date.parse(instant);
  return Number.isNaN(ms) ? instant : `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function cut(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}

/**
 * `prefix` and the entries joined by "; " within `limit` characters. When they do not fit, entries
 * from the middle give way to "… N more" so that the first ones and the last one stay.
 */
export function fitEntries(prefix: string, entries: readonly string[], limit: number): string {
  const all = `${prefix}${entries.join('; ')}`;
  if (all.length <= limit || entries.length < 2) return cut(all, limit);
  const last = entries[entries.length - 1] ?? '';
  for (let kept = entries.length - 2; kept >= 0; kept--) {
    const text = `${prefix}${[...entries.slice(0, kept), `… ${entries.length - 1 - kept} more`, last].join('; ')}`;
    if (text.length <= limit) return text;
  }
  return cut(`${prefix}… ${entries.length - 1} more; ${last}`, limit);
}

/** "Ben Buyer 2025-05-29 08:00 UTC" per approval, oldest first. */
export function approvalEntries(approvals: readonly ApprovalEvidence[]): string[] {
  return [...approvals]
    .sort((a, b) => Date.parse(a.approvedAt) - Date.parse(b.approvedAt))
    .map((a) => `${a.approverName === '' ? a.approverId : a.approverName} ${evidenceTime(a.approvedAt)}`);
}

function httpUrl(uri: string): boolean {
  try {
    const url = new URL(uri);
    return (url.protocol === 'https:' || url.protocol === 'http:') && !/\s/.test(uri);
  } catch {
    return false;
  }
}

/** Links in order, one per URL; URLs the ERP cannot take go to `skipped`. */
function planOf(candidates: readonly (EvidenceLink | SkippedLink)[]): EvidencePlan {
  const links: EvidenceLink[] = [];
  const skipped: SkippedLink[] = [];
  const seen = new Set<string>();
  for (const candidate of candidates) {
    if (!('url' in candidate)) {
      skipped.push(candidate);
    } else if (!httpUrl(candidate.url)) {
      skipped.push({ uri: candidate.url, reason: 'not an http(s) URL' });
    } else if (candidate.url.length > LINK_TEXT_LIMIT) {
      skipped.push({
        uri: candidate.url,
        reason: `longer than the ${LINK_TEXT_LIMIT} characters the ERP keeps of a URL`,
      });
    } else if (!seen.has(candidate.url)) {
      seen.add(candidate.url);
      links.push({ ...candidate, description: cut(candidate.description, LINK_TEXT_LIMIT) });
    }
  }
  return { links, skipped };
}

function attachmentLink(ref: AttachmentRef, fallbackName: string): EvidenceLink {
  return { purpose: 'attachment', url: ref.uri, description: ref.name ?? fallbackName };
}

/**
 * A procurement invoice: the approvals (approver full name or login and date, oldest first) on a
 * link to the invoice's page, and the invoice image and URL attachments.
 */
export function invoiceEvidence(
  invoice: SupplierInvoice,
  source: { readonly system: string; readonly pageUrl?: string },
): EvidencePlan {
  const entries = approvalEntries(invoice.approvals);
  const description =
    entries.length === 0
      ? `Invoice ${invoice.invoiceNumber} approved in ${source.system}; no approver recorded`
      : fitEntries(`Invoice ${invoice.invoiceNumber} approved in ${source.system} by `, entries, LINK_TEXT_LIMIT);
  const evidence: EvidenceLink | SkippedLink =
    source.pageUrl === undefined
      ? { uri: `${source.system}:invoice:${invoice.id}`, reason: `no page URL for invoices of ${source.system}` }
      : { purpose: 'approval', url: source.pageUrl, description };
  const attachments = invoice.attachments.map((a) =>
    attachmentLink(
      a,
      a.kind === 'invoice_image'
        ? `Invoice image ${invoice.invoiceNumber}`
        : `Attachment of invoice ${invoice.invoiceNumber}`,
    ),
  );
  return planOf([evidence, ...attachments]);
}

/** Builds the URLs of the expense platform's pages, when configured. */
export interface ExpensePages {
  readonly reportUrl?: (reportId: string) => string;
  readonly receiptUrl?: (receiptId: string) => string;
}

const RECEIPT_URN = /^urn:concur:(?:e-)?receipt:(.+)$/;

/**
 * An expense report: approved for payment and submitted times (FIS names no approver) on a link
 * to the report's page, and each entry's receipt images through the receipt URL.
 */
export function expenseEvidence(
  report: ExpenseReport,
  source: { readonly system: string; readonly pages: ExpensePages },
): EvidencePlan {
  const approved =
    report.approvedAt === undefined
      ? 'approval time not given'
      : `approved for payment ${evidenceTime(report.approvedAt)}`;
  const description = `Expense report ${report.id} (${source.system}): ${approved}, submitted ${evidenceTime(report.submittedAt)}; the platform names no approver`;
  const evidence: EvidenceLink | SkippedLink =
    source.pages.reportUrl === undefined
      ? { uri: `${source.system}:report:${report.id}`, reason: `no reportUrlTemplate configured for ${source.system}` }
      : { purpose: 'approval', url: source.pages.reportUrl(report.id), description };
  const receipts = report.entries.flatMap((entry) =>
    entry.attachments.map((ref): EvidenceLink | SkippedLink => {
      const what = `${entry.expenseType} ${entry.transactionDate} ${entry.amount.amount} ${entry.amount.currency}`;
      const receiptId = RECEIPT_URN.exec(ref.uri)?.[1];
      if (receiptId === undefined) return attachmentLink(ref, `Attachment of ${what}`);
      if (source.pages.receiptUrl === undefined)
        return { uri: ref.uri, reason: `no receiptUrlTemplate configured for ${source.system}` };
      return {
        purpose: 'attachment',
        url: source.pages.receiptUrl(receiptId),
        description: `${ref.name ?? `receipt ${receiptId}`} of ${what}`,
      };
    }),
  );
  return planOf([evidence, ...receipts]);
}

const digest = (value: string): string => createHash('sha256').update(value).digest('hex').slice(0, 16);
const labelOf = (d: ErpDocumentRef): string => `${d.kind} ${d.documentId}/${d.fiscalYear}`;

/** The effect that links the planned links to the documents; one link on one document keeps the name it always had. */
function effectName(documents: readonly ErpDocumentRef[], links: readonly EvidenceLink[]): string {
  const at = (d: ErpDocumentRef): string => `${d.kind}-${d.companyCode}-${d.documentId}-${d.fiscalYear}`;
  const [first] = documents;
  if (documents.length === 1 && first !== undefined && links.length === 1)
    return `link-${at(first)}-${digest(links[0]?.url ?? '')}`;
  return `links-${digest([...documents.map(at), ...links.map((l) => l.url)].join('\n'))}`;
}

/** Separates the attachment ids in an effect's remote id (documents, then links, in order). */
const SEPARATOR = ' ';

/**
 * Links every planned link to every document: one effect and one call to the ERP for all of them
 * (one `$batch` change set on SAP), which the ERP keeps all or none of. A lookup (after an unknown
 * outcome) finds the links by URL in each document's attachments, so a retry or replay never links
 * twice, and links only those still missing. A refusal is rethrown with its code (the class and owner
 * follow from it) and a message saying the postings stand.
 */
export async function attachEvidence(
  ctx: StepContext,
  erp: { readonly system: string; readonly port: ErpPort },
  documents: readonly ErpDocumentRef[],
  plan: EvidencePlan,
): Promise<LinkedEvidence[]> {
  if (plan.links.length === 0 || documents.length === 0) return [];
  const pairs = documents.flatMap((document) => plan.links.map((link) => ({ document, link })));
  const keyOf = (p: { document: ErpDocumentRef; link: EvidenceLink }): string => `${labelOf(p.document)} ${p.link.url}`;
  // What a lookup found already linked: only the rest is linked by create.
  const found = new Map<string, string>();
  const remoteId = (): string => pairs.map((p) => found.get(keyOf(p)) ?? '').join(SEPARATOR);
  try {
    const result = await ctx.effect({
      system: erp.system,
      name: effectName(documents, plan.links),
      lookup: async () => {
        for (const document of documents) {
          const listed = await erp.port.listAttachments(document);
          for (const link of plan.links) {
            // By URL; by description where the ERP lists a link without its address.
            const match = listed.find(
              (a) => a.url === link.url || (a.url === undefined && a.description === link.description),
            );
            if (match !== undefined) found.set(keyOf({ document, link }), match.id);
          }
        }
        return found.size === pairs.length ? remoteId() : null;
      },
      create: async () => {
        const targets = documents
          .map((document) => ({
            document,
            links: plan.links.filter((link) => !found.has(keyOf({ document, link }))),
          }))
          .filter((t) => t.links.length > 0);
        const created = await erp.port.linkAttachments(
          targets.map(({ document, links }) => ({
            document,
            links: links.map(({ url, description }) => ({ url, description })),
          })),
        );
        targets.forEach(({ document, links }, i) =>
          links.forEach((link, j) => found.set(keyOf({ document, link }), created[i]?.[j]?.id ?? '')),
        );
        return remoteId();
      },
    });
    const ids = result.remoteId.split(SEPARATOR);
    return pairs.map(({ document, link }, i) => ({
      document: labelOf(document),
      url: link.url,
      description: link.description,
      attachmentId: ids[i] ?? '',
    }));
  } catch (error) {
    if (!isLedgerlinkError(error) || error.code === 'LL_ERR_REMOTE_TRANSIENT' || error.code === 'LL_ERR_REMOTE_AUTH')
      throw error;
    const names = plan.links.map((l) => (l.purpose === 'approval' ? 'the approval evidence' : `"${l.description}"`));
    const what = names.length <= 2 ? names.join(' and ') : `${names.slice(0, -1).join(', ')} and ${names.at(-1) ?? ''}`;
    const to = documents.map(labelOf).join(' and ');
    throw new LedgerlinkError(
      error.code,
      `${erp.system} refused to link ${what} to ${to} (posted; the posting stands and is not repeated): ${error.message}`,
      {
        details: [
          {
            path: 'attach',
            message: error.message,
            urls: plan.links.map((l) => l.url),
            documents: documents.map(labelOf),
          },
          ...error.details,
        ],
        cause: error,
      },
    );
  }
}
