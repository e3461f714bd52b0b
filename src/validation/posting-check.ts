/**
 * "Will it post?": everything a posting needs, checked before the hub takes a document, and the
 * policy that says which failures go back to the source (the document's owner fixes them there and
 * sends a new version) and which wait in the hub (finance fixes them in the hub or the ERP, then the
 * run is retried). Serves `POST /v1/validate/posting` and the validate step of the posting flows.
 *
 * Checked: the company code, the period of the posting date, each line's coding on that date (GL
 * account, cost center and project valid and not blocked, tax code), and the payee (supplier or
 * employee vendor) not blocked for payment. Pure: the master data, calendar and vendor come in.
 */
import { LedgerlinkError } from '../canonical/errors.js';
import { validateCoding } from './coding.js';
import type { MasterDataIndex } from './master-data-index.js';
import type { PeriodCalendar } from './period-calendar.js';
import { issue, type ValidationIssue } from './validation-issue.js';

/** Where a failed check leaves the document: back with its owner in the source, or waiting in the hub. */
export type PostingCheckDisposition = 'return' | 'wait';

export interface PostingCheckPolicy {
  /** Issue codes that wait in the hub; every other error goes back to the source. */
  readonly waitInHub: readonly string[];
}

/**
 * A closed period is reopened by finance (or the document waits for the next one): the document is
 * right, so it waits. Everything else (a blocked or expired cost object, an unknown account, a
 * blocked payee) is the document's coding, which its owner corrects in the source.
 */
export const DEFAULT_POSTING_CHECK_POLICY: PostingCheckPolicy = { waitInHub: ['period_closed'] };

export function dispositionOf(code: string, policy: PostingCheckPolicy): PostingCheckDisposition {
  return policy.waitInHub.includes(code) ? 'wait' : 'return';
}

/** One issue of the check as it travels in an error's details and the API answer. */
export type PostingCheckIssue = {
  readonly code: string;
  readonly message: string;
  readonly path: string;
  readonly disposition: PostingCheckDisposition;
};

export function withDisposition(
  issues: readonly { readonly code: string; readonly message: string; readonly path: string }[],
  policy: PostingCheckPolicy,
): PostingCheckIssue[] {
  return issues.map((i) => ({
    code: i.code,
    message: i.message,
    path: i.path,
    disposition: dispositionOf(i.code, policy),
  }));
}

/**
 * The exception a failed check raises, or undefined when nothing failed. Any issue that goes back
 * makes it LL_ERR_VALIDATION (the flow tells the source); only issues that wait make it
 * LL_ERR_POSTING_WAITING (nothing is sent to the source; the run is retried once fixed).
 */
export function postingCheckFailure(
  summary: string,
  issues: readonly { readonly code: string; readonly message: string; readonly path: string }[],
  policy: PostingCheckPolicy,
): LedgerlinkError | undefined {
  if (issues.length === 0) return undefined;
  const marked = withDisposition(issues, policy);
  const returned = marked.filter((i) => i.disposition === 'return');
  const lead = returned[0] ?? marked[0]!;
  const more = marked.length > 1 ? ` (and ${marked.length - 1} more)` : '';
  const message = `${summary}: ${lead.message}${more}`;
  const details = marked.map((i) => ({ ...i, severity: 'error' }));
  return returned.length > 0
    ? new LedgerlinkError('LL_ERR_VALIDATION', message, { details })
    : new LedgerlinkError('LL_ERR_POSTING_WAITING', `${message}; the document waits in the hub`, { details });
}

/** A whole draft document as `POST /v1/validate/posting` takes it. */
export interface PostingDraft {
  readonly entity: string;
  /** YYYY-MM-DD. */
  readonly postingDate: string;
  readonly currency?: string | undefined;
  readonly lines: readonly {
    readonly account: string;
    readonly costCenter?: string | undefined;
    readonly project?: string | undefined;
    readonly taxCode?: string | undefined;
  }[];
}

/** The payee as the hub's copy of the ERP vendor master holds it (undefined: not known to the copy). */
export interface PayeeState {
  readonly vendorId: string;
  readonly known: boolean;
  readonly blocked: boolean;
  readonly companyCodes: readonly string[];
}

/** The issue when the payee cannot be paid in the company code, or undefined. */
export function payeeIssue(payee: PayeeState, entity: string, path = 'vendor'): ValidationIssue | undefined {
  if (!payee.known)
    return issue(
      'vendor_unknown',
      path,
      `Vendor ${payee.vendorId} is not in the ERP's vendor master; onboard the supplier or employee as an ERP vendor, then send the document again`,
    );
  if (payee.blocked)
    return issue(
      'vendor_blocked',
      path,
      `Vendor ${payee.vendorId} is blocked for posting or payment in the ERP; ask the vendor master team to lift the block or pay another vendor`,
    );
  if (!payee.companyCodes.includes(entity))
    return issue(
      'vendor_not_in_company_code',
      path,
      `Vendor ${payee.vendorId} is not set up in company code ${entity}; extend the vendor to the company code, then send the document again`,
    );
  return undefined;
}

/** Every error of the draft, each with the line it concerns in its path (`lines/2/costCenter`). */
export function checkPostingDraft(
  draft: PostingDraft,
  index: MasterDataIndex,
  calendar: PeriodCalendar,
  payee?: PayeeState,
): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  const seen = new Set<string>();
  const add = (found: ValidationIssue): void => {
    // Document-wide issues (period, company code) are reported once, not once per line.
    const key = found.path.startsWith('lines/') ? `${found.path} ${found.message}` : found.message;
    if (seen.has(key)) return;
    seen.add(key);
    out.push(found);
  };
  const header = new Set(['entity', 'date', 'currency']);
  draft.lines.forEach((line, n) => {
    const result = validateCoding(
      { ...line, entity: draft.entity, date: draft.postingDate, currency: draft.currency },
      index,
      calendar,
    );
    for (const found of result.issues) {
      if (found.severity !== 'error') continue;
      const path = header.has(found.path)
        ? found.path === 'date'
          ? 'postingDate'
          : found.path
        : `lines/${n}/${found.path}`;
      add({ ...found, path });
    }
  });
  if (payee !== undefined) {
    const problem = payeeIssue(payee, draft.entity);
    if (problem !== undefined) add(problem);
  }
  return out;
}
