/**
 * Cash advance posting: a cash advance issued in the expense platform (SAP Concur FIS docType
 * `cashadvance`) becomes one ERP supplier invoice to the employee vendor, so the ERP's payment run
 * pays the employee the advance; its G/L item debits the cash advance clearing account (a
 * receivable from the employee until a report applies the advance, see expense-cash-advance.ts).
 *
 * Triggers: a poller on the platform's READY cash advances, and webhook events `cash_advance.issued`
 * with `documentId` (optionally `version`) posted to /v1/events/<expense system>. Both give the run
 * key `cash-advance-posting:<system>:<documentId>:<version>`, so an advance delivered twice, or by
 * both channels, is posted once.
 *
 * Steps: fetch → acknowledge → enrich (employee from the directory: company code, employee vendor)
 * → map (clearing account: the journal's account code through mapping table
 * `expense-clearing-account`, else `flows.expensePosting.cashAdvanceClearingAccount`) → validate
 * (period open, employee vendor, clearing account and its coding) → post (the supplier invoice, an
 * effect looked up by our reference first) → confirm (posting confirmation, docType cashadvance).
 * A validation or business rejection after the acknowledgement also sends an error posting
 * confirmation, as the expense posting flow does. See docs/flows.md.
 */
import { CASH_ADVANCE_POSTING_FLOW } from '../../canonical/processes.js';
import { assertBalanced } from '../../canonical/journal.js';
import { LedgerlinkError } from '../../canonical/errors.js';
import type {
  CashAdvanceDocument,
  DirectoryPort,
  ErpInvoiceLine,
  ErpPort,
  ErpPostingDocument,
  ExpensePort,
} from '../../connectors/port.js';
import type { FlowDefinition, StepContext, StepHandler, StepOutcome } from '../../engine/step-api.js';
import { mappingSetFor, type MappingSetSource } from '../../mapping/mapping-set.js';
import {
  acknowledgeStep,
  documentUnknown,
  employeeFromDirectory,
  ownerTold as ownerToldBy,
  periodIssue,
  postErpDocument,
  employeeVendorIssue,
  type EmployeeFacts,
} from './expense-posting-steps.js';
import {
  DEFAULT_POSTING_CHECK_POLICY,
  postingCheckFailure,
  type PostingCheckPolicy,
} from '../../validation/posting-check.js';
import type { CodingChecker, CodingIssue, PeriodCalendarProvider, VendorMasterCopy } from '../../hub/ports.js';
import { readyQueuePollers, readyQueueRoute, type ReadyQueueTriggerOptions } from './ready-queue-trigger.js';
import { isoDay } from '../../canonical/time.js';

export const CASH_ADVANCE_ISSUED = 'cash_advance.issued';

export interface CashAdvancePostingOptions extends ReadyQueueTriggerOptions {
  readonly expense: { readonly system: string; readonly port: ExpensePort };
  readonly erp: { readonly system: string; readonly port: ErpPort };
  readonly directory: { readonly system: string; readonly port: DirectoryPort };
  readonly mappings: MappingSetSource;
  readonly periods: PeriodCalendarProvider;
  readonly coding: CodingChecker;
  /** The hub's copy of the ERP vendor master: employee vendors are found there before asking the ERP. */
  readonly vendorMaster?: VendorMasterCopy;
  readonly policy?: {
    /** Clearing account when the journal's account code has no mapping. */
    readonly cashAdvanceClearingAccount?: string;
    /** `today` (default): posted in the period the hub posts in; `approval`: on the issue date. */
    readonly postingDate?: 'today' | 'approval';
  };
  /** Which failures of the pre-posting check go back to the platform and which wait in the hub. */
  readonly postingCheck?: PostingCheckPolicy;
  readonly maxAttempts?: number;
  readonly now?: () => number;
}

/** One journal line of the advance with its ERP clearing account. */
interface MappedAdvanceLine {
  readonly sourceAccount: string;
  readonly glAccount?: string;
  readonly side: 'D' | 'C';
  readonly amount: CashAdvanceDocument['amount'];
}

const TRIGGER = {
  flow: CASH_ADVANCE_POSTING_FLOW,
  docType: 'cashadvance',
  eventType: CASH_ADVANCE_ISSUED,
  what: 'FIS cash advance document',
} as const;

function advanceOf(ctx: StepContext): CashAdvanceDocument {
  return ctx.run.state['advance'] as CashAdvanceDocument;
}

function advanceLabel(advance: CashAdvanceDocument): string {
  return `cash advance ${advance.cashAdvanceId}${advance.name === undefined ? '' : ` (${advance.name})`}`;
}

function unchecked(what: string, path: string): never {
  const message = `The run reached posting without ${what}; replay it from the start so it is validated`;
  throw new LedgerlinkError('LL_ERR_VALIDATION', message, { details: [{ path, message }] });
}

export function cashAdvancePostingFlow(options: CashAdvancePostingOptions): FlowDefinition {
  const { expense, erp, directory } = options;
  const policy = options.policy ?? {};
  const checkPolicy = options.postingCheck ?? DEFAULT_POSTING_CHECK_POLICY;
  const now = options.now ?? Date.now;
  const ownerTold = (handler: StepHandler): StepHandler => ownerToldBy(expense, 'cashadvance', handler);

  const fetch: StepHandler = async (ctx) => {
    const advance = await expense.port.readCashAdvance(ctx.run.documentId);
    if (advance === null) throw documentUnknown(expense, 'Cash advance document', ctx.run.documentId);
    const issuedAt = Date.parse(advance.issuedAt);
    return {
      next: 'acknowledge',
      state: { advance, cashAdvanceId: advance.cashAdvanceId },
      facts: { amount: advance.amount, ...(Number.isNaN(issuedAt) ? {} : { approvedAt: issuedAt }) },
    };
  };

  const acknowledge = acknowledgeStep(expense, 'cashadvance');

  const enrich: StepHandler = async (ctx) => {
    const advance = advanceOf(ctx);
    const employee = await employeeFromDirectory(
      directory,
      erp,
      advance.employeeId,
      advanceLabel(advance),
      'document.employeeData.employeeId',
      options.vendorMaster,
    );
    return { next: 'map', state: { employee }, facts: { entity: employee.entity } };
  };

  const map: StepHandler = async (ctx) => {
    const set = await mappingSetFor(options.mappings, ctx.run.mappingVersion);
    const employee = ctx.run.state['employee'] as EmployeeFacts;
    const lines: MappedAdvanceLine[] = advanceOf(ctx).journal.map((line) => {
      const named = set.tryLookup('expense-clearing-account', { account: line.account, entity: employee.entity });
      const glAccount = named?.['glAccount'] ?? policy.cashAdvanceClearingAccount;
      return {
        sourceAccount: line.account,
        ...(glAccount === undefined || glAccount === '' ? {} : { glAccount }),
        side: line.side,
        amount: line.amount,
      };
    });
    return { next: 'validate', state: { lines, mappingVersion: set.version }, facts: { mappingVersion: set.version } };
  };

  const postingDateOf = (advance: CashAdvanceDocument): string =>
    policy.postingDate === 'approval' ? advance.issuedAt.slice(0, 10) : isoDay(now());

  const validate: StepHandler = async (ctx) => {
    const advance = advanceOf(ctx);
    const employee = ctx.run.state['employee'] as EmployeeFacts;
    const lines = ctx.run.state['lines'] as MappedAdvanceLine[];
    const postingDate = postingDateOf(advance);
    const closed = await periodIssue(options.periods, employee.entity, postingDate);
    const issues: CodingIssue[] = closed === undefined ? [] : [closed];
    const blockedVendor = employeeVendorIssue(employee, employee.entity);
    if (blockedVendor !== undefined) issues.push(blockedVendor);
    else if (employee.vendorId === undefined) {
      issues.push({
        code: 'employee_vendor_missing',
        path: 'employeeVendor',
        message: `Employee ${employee.personnelNumber} has no vendor account in the ERP for company code ${employee.entity}, which the advance is paid through; create one carrying the personnel number as its reference, then retry`,
      });
    }
    lines.forEach((line, i) => {
      if (line.glAccount !== undefined) return;
      issues.push({
        code: 'clearing_account_missing',
        path: `document.journalData[${i}].accountCode`,
        message: `No clearing account for ${advanceLabel(advance)}: its account code ${line.sourceAccount} has no row in mapping table expense-clearing-account for company code ${employee.entity}, and flows.expensePosting.cashAdvanceClearingAccount is not set; add the mapping row (and publish the mapping set) or configure the account, then retry`,
      });
    });
    const accounts = [...new Set(lines.flatMap((l) => (l.glAccount === undefined ? [] : [l.glAccount])))];
    const seen = new Set(issues.map((i) => i.message));
    for (const found of await options.coding.check(
      accounts.map((account) => ({
        entity: employee.entity,
        account,
        date: postingDate,
        currency: advance.amount.currency,
      })),
    )) {
      if ((found.code === 'period_closed' && closed !== undefined) || seen.has(found.message)) continue;
      issues.push({ code: found.code, path: found.path, message: found.message });
      seen.add(found.message);
    }
    const failure = postingCheckFailure(`Cash advance ${advance.cashAdvanceId} cannot be posted`, issues, checkPolicy);
    if (failure !== undefined) throw failure;
    return { next: 'post', state: { postingDate } };
  };

  const post: StepHandler = async (ctx) => {
    const advance = advanceOf(ctx);
    const employee = ctx.run.state['employee'] as EmployeeFacts;
    const postingDate = ctx.run.state['postingDate'] as string;
    const text = `Cash advance ${advance.cashAdvanceId}`.slice(0, 50);
    // Validate refused a missing vendor or clearing account; a run replayed from here gets them checked again.
    const vendorId = employee.vendorId ?? unchecked('the employee vendor', 'employeeVendor');
    const items: ErpInvoiceLine[] = (ctx.run.state['lines'] as MappedAdvanceLine[]).map((line, i) => ({
      glAccount:
        line.glAccount ??
        unchecked(
          `a clearing account for account code ${line.sourceAccount}`,
          `document.journalData[${i}].accountCode`,
        ),
      side: line.side,
      amount: line.amount,
      text,
    }));
    assertBalanced([
      ...items.map((l) => ({ account: l.glAccount, side: l.side, amount: l.amount })),
      { account: vendorId, side: 'C', amount: advance.amount },
    ]);
    const document = await postErpDocument(
      ctx,
      erp,
      options.periods,
      {
        group: 'cash_advance',
        kind: 'supplier_invoice',
        invoice: {
          companyCode: employee.entity,
          vendorId,
          documentDate: advance.issuedAt.slice(0, 10),
          postingDate,
          gross: advance.amount,
          lines: items,
          taxes: [],
          headerText: `CA ${advance.cashAdvanceId}`.slice(0, 25),
        },
      },
      employee.entity,
      checkPolicy,
    );
    return { next: 'confirm', state: { erpDocuments: [document] }, facts: { postedAt: now() } };
  };

  const confirm: StepHandler = async (ctx): Promise<StepOutcome> => {
    const erpDocuments = ctx.run.state['erpDocuments'] as ErpPostingDocument[];
    await ctx.effect({
      system: expense.system,
      name: 'posting-confirmation',
      lookup: async () => null,
      create: async () =>
        (
          await expense.port.confirmPosting(
            { documentId: ctx.run.documentId, status: 'success', erpDocuments },
            'cashadvance',
          )
        ).documentId,
    });
    return { done: true };
  };

  return {
    name: CASH_ADVANCE_POSTING_FLOW,
    firstStep: 'fetch',
    ...(options.maxAttempts === undefined ? {} : { maxAttempts: options.maxAttempts }),
    route: readyQueueRoute(expense, TRIGGER, options),
    steps: {
      fetch,
      acknowledge,
      enrich: ownerTold(enrich),
      map,
      validate: ownerTold(validate),
      post: ownerTold(post),
      confirm,
    },
    ...readyQueuePollers(expense, TRIGGER, options),
  };
}
