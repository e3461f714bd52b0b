/**
 * Flow 3, expense posting: an approved expense report becomes ERP postings, once.
 *
 * Triggers: a poller on the expense platform's READY documents, and webhook events
 * (`expense_report.approved` with `documentId` and optionally `version`) posted to
 * /v1/events/<expense system>. Both give the run key `expense-posting:<system>:<documentId>:<version>`,
 * so a report delivered twice, or by both channels, is posted once.
 *
 * Steps: fetch → acknowledge → enrich (employee from the directory: company code, cost center,
 * employee vendor) → onboard-payee (an employee without a vendor becomes one, employee-vendor-step.ts)
 * → map (mapping set) → validate (the pre-posting check, validation/posting-check.ts:
 * period open, coding allowed on the date, employee vendor not blocked) → reverse (a revision after
 * a posted one: same postings taken over, changed ones reverse the earlier documents first,
 * expense-reopened.ts) → post (one ERP document per payment policy group, and one journal entry for
 * the cash advances the report applies (expense-cash-advance.ts), each its own effect) → attach
 * (approval evidence and receipt links on each ERP document, evidence-steps.ts) → confirm (ERP
 * document numbers to the platform). Steps shared with cash advance posting are in
 * expense-posting-steps.ts. A validation or business rejection after the acknowledgement also sends
 * an error posting confirmation, so the report's owner sees what to fix; a failure the posting check
 * policy keeps in the hub (a closed period) does not. A later successful retry confirms success.
 * See docs/flows.md.
 */
import { EXPENSE_POSTING_FLOW } from '../../canonical/processes.js';
import type { ErpPostingDocument, ExpenseDocument } from '../../connectors/port.js';
import {
  EVIDENCE_STEP,
  REVERSAL_STEP,
  type FlowDefinition,
  type StepContext,
  type StepHandler,
  type StepOutcome,
} from '../../engine/step-api.js';
import { mappingSetFor } from '../../mapping/mapping-set.js';
import { advanceCodingInputs, advanceIssues, mapCashAdvances, type MappedAdvance } from './expense-cash-advance.js';
import { expenseAttachStep } from '../evidence/evidence-steps.js';
import { mapExpenseLines } from './expense-coding.js';
import { plannedPostings, type MappedLine } from './expense-journal.js';
import {
  acknowledgeStep,
  documentUnknown,
  employeeFromDirectory,
  employeeVendorIssue,
  ownerTold as ownerToldBy,
  periodIssue,
  postErpDocument,
  type EmployeeFacts,
  type PlannedErpDocument,
} from './expense-posting-steps.js';
import { codingInputs } from './expense-validation.js';
import { noteCardsOnReport } from '../accrual/card-transaction-record.js';
import { employeeVendorStep, needsEmployeeVendor, PAYEE_ONBOARDING_STEP } from './employee-vendor-step.js';
import type { ExpensePostingOptions } from './expense-posting-options.js';
import { reverseStep } from './expense-reopened-step.js';
import { readyQueuePollers, readyQueueRoute } from './ready-queue-trigger.js';
import { isoDay } from '../../canonical/time.js';
import { DEFAULT_POSTING_CHECK_POLICY, postingCheckFailure } from '../../validation/posting-check.js';

export type { ExpensePostingOptions, ExpensePostingPolicy } from './expense-posting-options.js';
export const EXPENSE_APPROVED = 'expense_report.approved';

const TRIGGER = {
  flow: EXPENSE_POSTING_FLOW,
  docType: 'expense',
  eventType: EXPENSE_APPROVED,
  what: 'FIS document',
} as const;

function documentOf(ctx: StepContext): ExpenseDocument {
  return ctx.run.state['document'] as ExpenseDocument;
}

/** The applied cash advances the map step resolved (none for runs mapped before they were read). */
function advancesOf(ctx: StepContext): MappedAdvance[] {
  return (ctx.run.state['advances'] as MappedAdvance[] | undefined) ?? [];
}

export function expensePostingFlow(options: ExpensePostingOptions): FlowDefinition {
  const { expense, erp, directory } = options;
  const policy = options.policy ?? {};
  const checkPolicy = options.postingCheck ?? DEFAULT_POSTING_CHECK_POLICY;
  const reopened = options.reopened ?? 'reverse';
  const now = options.now ?? Date.now;

  /** Tells the report's owner why the posting failed, then lets the failure become the exception. */
  const ownerTold = (handler: StepHandler): StepHandler => ownerToldBy(expense, 'expense', handler);

  const fetch: StepHandler = async (ctx) => {
    const document = await expense.port.readDocument(ctx.run.documentId);
    if (document === null) throw documentUnknown(expense, 'Expense document', ctx.run.documentId);
    if (options.identity !== undefined)
      await noteCardsOnReport(options.identity, expense.system, ctx.run.documentId, document);
    const approvedAt = Date.parse(document.report.approvedAt ?? document.report.submittedAt);
    return {
      next: 'acknowledge',
      // Returned advance cash is recorded, not posted: the ERP books it from the bank statement.
      state: {
        document,
        reportId: document.report.id,
        ...(document.cashAdvanceReturns === undefined ? {} : { cashAdvanceReturns: document.cashAdvanceReturns }),
      },
      facts: { amount: document.report.total, ...(Number.isNaN(approvedAt) ? {} : { approvedAt }) },
    };
  };

  const acknowledge = acknowledgeStep(expense, 'expense');

  const enrich: StepHandler = async (ctx) => {
    const report = documentOf(ctx).report;
    const employee = await employeeFromDirectory(
      directory,
      erp,
      report.employeeId,
      `expense report ${report.id} (${report.name})`,
      'report.employeeId',
      options.vendorMaster,
    );
    const onboard = options.employeeVendors !== undefined && needsEmployeeVendor(employee);
    return { next: onboard ? PAYEE_ONBOARDING_STEP : 'map', state: { employee }, facts: { entity: employee.entity } };
  };

  const map: StepHandler = async (ctx) => {
    const set = await mappingSetFor(options.mappings, ctx.run.mappingVersion);
    const employee = ctx.run.state['employee'] as EmployeeFacts;
    const lines = mapExpenseLines(documentOf(ctx), set, {
      entity: employee.entity,
      ...(employee.costCenter === undefined ? {} : { employeeCostCenter: employee.costCenter }),
      ...(policy.inputTaxAccount === undefined ? {} : { inputTaxAccount: policy.inputTaxAccount }),
      ...(policy.companyPaidClearingAccount === undefined
        ? {}
        : { companyPaidClearingAccount: policy.companyPaidClearingAccount }),
    });
    const advances = mapCashAdvances(documentOf(ctx), set, {
      entity: employee.entity,
      ...(policy.cashAdvanceClearingAccount === undefined
        ? {}
        : { cashAdvanceClearingAccount: policy.cashAdvanceClearingAccount }),
    });
    return {
      next: 'validate',
      state: { lines, advances, mappingVersion: set.version },
      facts: { mappingVersion: set.version },
    };
  };

  const postingDateOf = (document: ExpenseDocument): string =>
    policy.postingDate === 'approval'
      ? (document.report.approvedAt ?? document.report.submittedAt).slice(0, 10)
      : isoDay(now());

  const validate: StepHandler = async (ctx) => {
    const document = documentOf(ctx);
    const employee = ctx.run.state['employee'] as EmployeeFacts;
    const lines = ctx.run.state['lines'] as MappedLine[];
    const advances = advancesOf(ctx);
    const postingDate = postingDateOf(document);
    const closed = await periodIssue(options.periods, employee.entity, postingDate);
    const blockedVendor = employeeVendorIssue(employee, employee.entity);
    const issues: { code: string; message: string; path: string }[] = [
      ...(closed === undefined ? [] : [closed]),
      ...(blockedVendor === undefined ? [] : [blockedVendor]),
      ...advanceIssues(advances, employee.entity),
    ];
    const seen = new Set(issues.map((i) => i.message));
    const inputs = [
      ...codingInputs(lines, employee.entity, postingDate, document.report.currency, policy),
      ...advanceCodingInputs(advances, employee.entity, postingDate, document.report.currency),
    ];
    for (const found of await options.coding.check(inputs)) {
      if (found.code === 'period_closed' && closed !== undefined) continue;
      if (!seen.has(found.message)) issues.push({ code: found.code, path: found.path, message: found.message });
      seen.add(found.message);
    }
    const failure = postingCheckFailure(`Expense report ${document.report.id} cannot be posted`, issues, checkPolicy);
    if (failure !== undefined) throw failure;
    return { next: REVERSAL_STEP, state: { postingDate } };
  };

  /** The ERP documents a run's state plans (the post step's, and an earlier revision's recomputed). */
  const planOf = (state: Readonly<Record<string, unknown>>): PlannedErpDocument[] => {
    const document = state['document'] as ExpenseDocument;
    const employee = state['employee'] as EmployeeFacts;
    const cardVendor = policy.cardVendors?.[employee.entity];
    return plannedPostings(
      state['lines'] as MappedLine[],
      {
        entity: employee.entity,
        currency: document.report.currency,
        postingDate: state['postingDate'] as string,
        documentDate: (document.report.approvedAt ?? document.report.submittedAt).slice(0, 10),
        headerText: `ER ${document.report.id}`.slice(0, 25),
        ...(employee.vendorId === undefined ? {} : { employeeVendor: employee.vendorId }),
        ...(cardVendor === undefined ? {} : { cardVendor }),
        ...(policy.cardClearingAccount === undefined ? {} : { cardClearingAccount: policy.cardClearingAccount }),
      },
      (state['advances'] as MappedAdvance[] | undefined) ?? [],
    );
  };

  const reverse = reverseStep({
    erp,
    planOf,
    now,
    reopened,
    ...(options.postings === undefined ? {} : { postings: options.postings }),
  });

  const post: StepHandler = async (ctx) => {
    const employee = ctx.run.state['employee'] as EmployeeFacts;
    const planned = planOf(ctx.run.state);
    // A revision that replaced reversed documents posts under its own references, not the document's.
    const keyScope = ctx.run.state['supersedes'] === undefined ? 'document' : 'run';
    const erpDocuments: ErpPostingDocument[] = [];
    for (const one of planned)
      erpDocuments.push(await postErpDocument(ctx, erp, options.periods, one, employee.entity, checkPolicy, keyScope));
    return {
      next: EVIDENCE_STEP,
      state: { erpDocuments, erpDocumentKinds: planned.map((p) => p.kind) },
      facts: { postedAt: now() },
    };
  };

  const confirm: StepHandler = async (ctx): Promise<StepOutcome> => {
    const erpDocuments = ctx.run.state['erpDocuments'] as ErpPostingDocument[];
    await ctx.effect({
      system: expense.system,
      name: 'posting-confirmation',
      lookup: async () => null,
      create: async () =>
        (await expense.port.confirmPosting({ documentId: ctx.run.documentId, status: 'success', erpDocuments }))
          .documentId,
    });
    return { done: true };
  };

  return {
    name: EXPENSE_POSTING_FLOW,
    firstStep: 'fetch',
    ...(options.maxAttempts === undefined ? {} : { maxAttempts: options.maxAttempts }),
    route: readyQueueRoute(expense, TRIGGER, options),
    steps: {
      fetch,
      acknowledge,
      enrich: ownerTold(enrich),
      ...(options.employeeVendors === undefined
        ? {}
        : { [PAYEE_ONBOARDING_STEP]: employeeVendorStep({ erp, directory, ...options.employeeVendors }, 'map') }),
      map,
      validate: ownerTold(validate),
      [REVERSAL_STEP]: ownerTold(reverse),
      post: ownerTold(post),
      [EVIDENCE_STEP]: expenseAttachStep({
        erp,
        source: expense.system,
        next: 'confirm',
        ...(options.pages === undefined ? {} : { pages: options.pages }),
      }),
      confirm,
    },
    ...readyQueuePollers(expense, TRIGGER, options),
  };
}
