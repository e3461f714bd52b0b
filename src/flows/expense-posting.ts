/**
 * Flow 3, expense posting: an approved expense report becomes ERP postings, once.
 *
 * Triggers: a poller on the expense platform's READY documents, and webhook events
 * (`expense_report.approved` with `documentId` and optionally `version`) posted to
 * /v1/events/<expense system>. Both give the run key `expense-posting:<system>:<documentId>:<version>`,
 * so a report delivered twice, or by both channels, is posted once.
 *
 * Steps: fetch → acknowledge → enrich (employee from the directory: company code, cost center,
 * employee vendor) → map (mapping set) → validate (period open, coding allowed) → post (one ERP
 * document per payment policy group, each its own effect) → attach (approval evidence and receipt
 * links on each ERP document, evidence-steps.ts) → confirm (ERP document numbers to the platform). A validation or business rejection after the acknowledgement also sends an error
 * posting confirmation, so the report's owner sees what to fix; a later successful retry confirms
 * success. See docs/flows.md.
 */
import { createHash } from 'node:crypto';
import { isLedgerlinkError, LedgerlinkError } from '../canonical/errors.js';
import type { DirectoryPort, ErpPort, ErpPostingDocument, ExpenseDocument, ExpensePort } from '../connectors/port.js';
import { EVIDENCE_STEP, type FlowDefinition, type InboundEvent, type StepContext, type StepHandler, type StepOutcome } from '../engine/step-api.js';
import type { MappingSetSource } from '../mapping/mapping-set.js';
import { expenseAttachStep } from './evidence-steps.js';
import { mapExpenseLines } from './expense-coding.js';
import { plannedPostings, type MappedLine, type PlannedPosting } from './expense-journal.js';
import { codingInputs, type CodingChecker, type PeriodCalendarProvider } from './expense-validation.js';
import type { ExpensePages } from './posting-evidence.js';

export type { CodingChecker, CodingInput, CodingIssue, PeriodCalendarProvider } from './expense-validation.js';

export const EXPENSE_POSTING_FLOW = 'expense-posting';
export const EXPENSE_APPROVED = 'expense_report.approved';

export interface ExpensePostingPolicy {
  /** Card issuer vendor per company code; card charges are credited to it. */
  readonly cardVendors?: Readonly<Record<string, string>>;
  /** GL account card charges are credited to when no card vendor is set for the company code. */
  readonly cardClearingAccount?: string;
  /** Input tax account when the tax mapping names none. */
  readonly inputTaxAccount?: string;
  /** Clearing account for company-paid entries whose named clearing account has no mapping. */
  readonly companyPaidClearingAccount?: string;
  /** `today` (default): posted in the period the hub posts in; `approval`: on the approval date. */
  readonly postingDate?: 'today' | 'approval';
}

export interface ExpensePostingOptions {
  readonly expense: { readonly system: string; readonly port: ExpensePort };
  readonly erp: { readonly system: string; readonly port: ErpPort };
  readonly directory: { readonly system: string; readonly port: DirectoryPort };
  readonly mappings: MappingSetSource;
  readonly periods: PeriodCalendarProvider;
  readonly coding: CodingChecker;
  readonly policy?: ExpensePostingPolicy;
  /** The report's and receipts' pages on the platform, linked to the ERP documents when configured. */
  readonly pages?: ExpensePages;
  /** Poll the READY queue this often (default 60 s); none when `poll` is false. */
  readonly pollIntervalMs?: number;
  readonly schedule?: readonly string[];
  readonly poll?: boolean;
  /** Accept webhook events (default true). */
  readonly webhook?: boolean;
  readonly maxAttempts?: number;
  readonly now?: () => number;
}

interface EmployeeFacts {
  readonly personnelNumber: string;
  readonly name: string;
  readonly entity: string;
  readonly costCenter?: string;
  readonly vendorId?: string;
}

const DEFAULT_POLL_MS = 60_000;
const PERIOD_NOT_OPEN = /posting period (\d{3}) (\d{4}) is not open/i;
/** Codes after which the report's owner is told, through an error posting confirmation. */
const OWNER_ACTIONABLE = new Set(['LL_ERR_VALIDATION', 'LL_ERR_REMOTE_REJECTED', 'LL_ERR_JOURNAL_UNBALANCED']);

function text(payload: InboundEvent['payload'], names: readonly string[]): string | undefined {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) return undefined;
  for (const name of names) {
    if (!Object.hasOwn(payload, name)) continue;
    const value = (payload as Record<string, unknown>)[name];
    if (typeof value === 'string' && value !== '') return value;
    if (value !== null && typeof value === 'object' && 'text' in value && typeof value.text === 'string') return value.text;
  }
  return undefined;
}

function documentOf(ctx: StepContext): ExpenseDocument {
  return ctx.run.state['document'] as ExpenseDocument;
}

function isoDay(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 10);
}

function digest(value: string): string {
  return createHash('sha256').update(value).digest('hex').slice(0, 10);
}

export function expensePostingFlow(options: ExpensePostingOptions): FlowDefinition {
  const { expense, erp, directory } = options;
  const policy = options.policy ?? {};
  const now = options.now ?? Date.now;

  /** Tells the report's owner why the posting failed, then lets the failure become the exception. */
  const ownerTold = (handler: StepHandler): StepHandler => async (ctx) => {
    try {
      return await handler(ctx);
    } catch (error) {
      if (isLedgerlinkError(error) && OWNER_ACTIONABLE.has(error.code)) await confirmError(ctx, error);
      throw error;
    }
  };

  const confirmError = async (ctx: StepContext, error: LedgerlinkError): Promise<void> => {
    const details = error.details.map((d) => (d !== null && typeof d === 'object' && 'message' in d ? String((d as { message: unknown }).message) : '')).filter((m) => m !== '');
    const messages = [{ shortText: error.message.slice(0, 250), longText: [error.message, ...details].join('\n').slice(0, 2000) }];
    try {
      await ctx.effect({
        system: expense.system,
        // The same failure is reported once; a different one is reported again.
        name: `error-confirmation-${digest(messages[0]?.longText ?? '')}`,
        lookup: async () => null,
        create: async () => (await expense.port.confirmPosting({ documentId: ctx.run.documentId, status: 'error', messages })).documentId,
      });
    } catch {
      // The exception for the original failure is what matters; the platform is told on the next failure.
    }
  };

  const fetch: StepHandler = async (ctx) => {
    const document = await expense.port.readDocument(ctx.run.documentId);
    if (document === null) {
      throw new LedgerlinkError('LL_ERR_REMOTE_REJECTED', `Expense document ${ctx.run.documentId} is not known to ${expense.system}; it may have been recalled or deleted`, {
        details: [{ message: 'document not found', documentId: ctx.run.documentId, system: expense.system }],
      });
    }
    const approvedAt = Date.parse(document.report.approvedAt ?? document.report.submittedAt);
    return {
      next: 'acknowledge',
      state: { document, reportId: document.report.id },
      facts: { amount: document.report.total, ...(Number.isNaN(approvedAt) ? {} : { approvedAt }) },
    };
  };

  const acknowledge: StepHandler = async (ctx) => {
    await ctx.effect({
      system: expense.system,
      name: 'acknowledge',
      lookup: async () => null,
      // The platform's "already acknowledged" is a success (the port answers alreadyDone).
      create: async () => (await expense.port.acknowledge(ctx.run.documentId)).documentId,
    });
    return { next: 'enrich' };
  };

  const enrich: StepHandler = async (ctx) => {
    const report = documentOf(ctx).report;
    const user = await directory.port.findByEmployeeNumber(report.employeeId);
    if (user === null) {
      const message = `Employee ${report.employeeId} of expense report ${report.id} (${report.name}) is not in the directory (${directory.system}); add them with this employee number and their company code, then retry`;
      throw new LedgerlinkError('LL_ERR_VALIDATION', message, { details: [{ path: 'report.employeeId', message, employeeId: report.employeeId }] });
    }
    const entity = user.employee.companyCode;
    const vendors = await erp.port.findVendors({ reference: report.employeeId });
    const vendor = vendors.find((v) => v.companyCodes.includes(entity) && !v.blocked);
    const employee: EmployeeFacts = {
      personnelNumber: report.employeeId,
      name: user.employee.displayName,
      entity,
      ...(user.employee.costCenter === undefined ? {} : { costCenter: user.employee.costCenter }),
      ...(vendor === undefined ? {} : { vendorId: vendor.vendorId }),
    };
    return { next: 'map', state: { employee }, facts: { entity } };
  };

  const map: StepHandler = async (ctx) => {
    const set = ctx.run.mappingVersion === null ? await options.mappings.current() : await options.mappings.byVersion(ctx.run.mappingVersion);
    const employee = ctx.run.state['employee'] as EmployeeFacts;
    const lines = mapExpenseLines(documentOf(ctx), set, {
      entity: employee.entity,
      ...(employee.costCenter === undefined ? {} : { employeeCostCenter: employee.costCenter }),
      ...(policy.inputTaxAccount === undefined ? {} : { inputTaxAccount: policy.inputTaxAccount }),
      ...(policy.companyPaidClearingAccount === undefined ? {} : { companyPaidClearingAccount: policy.companyPaidClearingAccount }),
    });
    return { next: 'validate', state: { lines, mappingVersion: set.version }, facts: { mappingVersion: set.version } };
  };

  const postingDateOf = (document: ExpenseDocument): string =>
    policy.postingDate === 'approval' ? (document.report.approvedAt ?? document.report.submittedAt).slice(0, 10) : isoDay(now());

  const validate: StepHandler = async (ctx) => {
    const document = documentOf(ctx);
    const employee = ctx.run.state['employee'] as EmployeeFacts;
    const lines = ctx.run.state['lines'] as MappedLine[];
    const postingDate = postingDateOf(document);
    const issues: { code: string; message: string; path: string }[] = [];
    const period = await options.periods.status(employee.entity, postingDate);
    if (!period.open) {
      issues.push({
        code: 'period_closed',
        path: 'postingDate',
        message: `${period.reason ?? `Period ${period.period} is closed for company code ${employee.entity}`}; reopen it (PUT /v1/periods/${employee.entity}/${period.period}) once the ERP accepts postings in it, then retry`,
      });
    }
    const seen = new Set(issues.map((i) => i.message));
    for (const found of await options.coding.check(codingInputs(lines, employee.entity, postingDate, document.report.currency, policy))) {
      if (found.code === 'period_closed' && !period.open) continue;
      if (!seen.has(found.message)) issues.push({ code: found.code, path: found.path, message: found.message });
      seen.add(found.message);
    }
    if (issues.length > 0) {
      const first = issues[0]?.message ?? '';
      const message = `Expense report ${document.report.id} cannot be posted: ${first}${issues.length > 1 ? ` (and ${issues.length - 1} more)` : ''}`;
      throw new LedgerlinkError('LL_ERR_VALIDATION', message, { details: issues });
    }
    return { next: 'post', state: { postingDate } };
  };

  const postOne = async (ctx: StepContext, planned: PlannedPosting, entity: string): Promise<ErpPostingDocument> => {
    let found: ErpPostingDocument | undefined;
    const remember = (ref: { documentId: string; fiscalYear: string; companyCode: string }, postingDate: string): string => {
      found = { companyCode: ref.companyCode, documentNumber: ref.documentId, fiscalYear: ref.fiscalYear, postingDate };
      return ref.documentId;
    };
    const postingDate = planned.kind === 'supplier_invoice' ? planned.invoice.postingDate : planned.entry.postingDate;
    const scope = planned.kind === 'supplier_invoice' ? { companyCode: entity, vendorId: planned.invoice.vendorId } : { companyCode: entity };
    const lookup = async (key: string): Promise<string | null> => {
      const ref = await erp.port.findDocumentByReference(planned.kind, key, scope);
      return ref === null ? null : remember(ref, postingDate);
    };
    const result = await ctx.effect({
      system: erp.system,
      name: `post-${planned.group}`,
      lookup,
      create: async (key) => {
        try {
          const ref = planned.kind === 'supplier_invoice'
            ? await erp.port.postSupplierInvoice({ ...planned.invoice, reference: key })
            : await erp.port.postJournalEntry({ ...planned.entry, reference: key });
          return remember(ref, postingDate);
        } catch (error) {
          throw await learnedClosure(error, entity);
        }
      },
    });
    if (found === undefined) await lookup(result.idempotencyKey);
    return found ?? { companyCode: entity, documentNumber: result.remoteId, fiscalYear: postingDate.slice(0, 4), postingDate };
  };

  /** An ERP refusal because the period is closed is recorded as a closure, so later reports fail fast. */
  const learnedClosure = async (error: unknown, entity: string): Promise<unknown> => {
    if (!isLedgerlinkError(error)) return error;
    const match = PERIOD_NOT_OPEN.exec(`${error.message} ${JSON.stringify(error.details)}`);
    if (match === null) return error;
    const period = `${match[2] ?? ''}-${(match[1] ?? '').slice(1)}`;
    await options.periods.recordClosure(entity, period, `the ERP (${erp.system}) rejected a posting: ${error.message}`);
    const message = `Period ${period} is closed in the ERP for company code ${entity}; reopen it in the ERP and in Ledgerlink (PUT /v1/periods/${entity}/${period}), then retry`;
    return new LedgerlinkError('LL_ERR_VALIDATION', message, { details: [{ path: 'postingDate', message, code: 'period_closed' }, ...error.details], cause: error });
  };

  const post: StepHandler = async (ctx) => {
    const document = documentOf(ctx);
    const employee = ctx.run.state['employee'] as EmployeeFacts;
    const postingDate = ctx.run.state['postingDate'] as string;
    const cardVendor = policy.cardVendors?.[employee.entity];
    const planned = plannedPostings(ctx.run.state['lines'] as MappedLine[], {
      entity: employee.entity,
      currency: document.report.currency,
      postingDate,
      documentDate: (document.report.approvedAt ?? document.report.submittedAt).slice(0, 10),
      headerText: `ER ${document.report.id}`.slice(0, 25),
      ...(employee.vendorId === undefined ? {} : { employeeVendor: employee.vendorId }),
      ...(cardVendor === undefined ? {} : { cardVendor }),
      ...(policy.cardClearingAccount === undefined ? {} : { cardClearingAccount: policy.cardClearingAccount }),
    });
    const erpDocuments: ErpPostingDocument[] = [];
    for (const one of planned) erpDocuments.push(await postOne(ctx, one, employee.entity));
    return { next: EVIDENCE_STEP, state: { erpDocuments, erpDocumentKinds: planned.map((p) => p.kind) }, facts: { postedAt: now() } };
  };

  const confirm: StepHandler = async (ctx): Promise<StepOutcome> => {
    const erpDocuments = ctx.run.state['erpDocuments'] as ErpPostingDocument[];
    await ctx.effect({
      system: expense.system,
      name: 'posting-confirmation',
      lookup: async () => null,
      create: async () => (await expense.port.confirmPosting({ documentId: ctx.run.documentId, status: 'success', erpDocuments })).documentId,
    });
    return { done: true };
  };

  const poll = options.poll !== false;
  return {
    name: EXPENSE_POSTING_FLOW,
    firstStep: 'fetch',
    ...(options.maxAttempts === undefined ? {} : { maxAttempts: options.maxAttempts }),
    route(event) {
      if (event.system !== expense.system || event.eventType !== EXPENSE_APPROVED) return null;
      if (options.webhook === false && text(event.payload, ['source']) !== 'poll') return null;
      const documentId = text(event.payload, ['documentId', 'docId']);
      if (documentId === undefined) {
        throw new LedgerlinkError('LL_ERR_VALIDATION', `An ${EXPENSE_APPROVED} event from ${event.system} names no documentId; the sender must name the FIS document`, {
          details: [{ path: 'documentId', message: 'required' }],
        });
      }
      return { documentId, version: text(event.payload, ['version', 'revisionNumber']) ?? '1', input: event.payload };
    },
    steps: {
      fetch, acknowledge, enrich: ownerTold(enrich), map, validate: ownerTold(validate), post: ownerTold(post),
      [EVIDENCE_STEP]: expenseAttachStep({ erp, source: expense.system, next: 'confirm', ...(options.pages === undefined ? {} : { pages: options.pages }) }),
      confirm,
    },
    ...(poll
      ? {
          pollers: [
            {
              name: `${EXPENSE_POSTING_FLOW}:ready`,
              system: expense.system,
              ...(options.schedule === undefined || options.schedule.length === 0 ? { intervalMs: options.pollIntervalMs ?? DEFAULT_POLL_MS } : { schedule: options.schedule }),
              async poll() {
                const ready = await expense.port.readyDocuments('expense');
                return {
                  cursor: null,
                  events: ready.map((d) => {
                    const version = revisionOf(d);
                    return {
                      eventType: EXPENSE_APPROVED,
                      dedupeKey: `${expense.system}:expense:${d.documentId}:${version}`,
                      payload: { type: EXPENSE_APPROVED, documentId: d.documentId, version, reportId: d.report.id, source: 'poll' },
                    };
                  }),
                };
              },
            },
          ],
        }
      : {}),
  };
}

/** The document's revision (FIS `revisionNumber`), "1" when the platform gives none. */
function revisionOf(document: ExpenseDocument): string {
  return document.revision ?? '1';
}
