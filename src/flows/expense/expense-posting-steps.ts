/**
 * What the expense report and cash advance posting flows do alike, as step helpers: the employee
 * from the directory with their company code and ERP vendor, the period check, one ERP document
 * posted through the effect ledger (looked up by our reference first, a closed period the ERP
 * reports learned as a closure), and the error posting confirmation that tells the document's owner
 * in the expense platform why it could not be posted. Orchestration only: every write through
 * `ctx.effect` and the ports.
 */
import { createHash } from 'node:crypto';
import { isLedgerlinkError, LedgerlinkError } from '../../canonical/errors.js';
import type {
  DirectoryPort,
  ErpJournalEntry,
  ErpPort,
  ErpPostingDocument,
  ErpSupplierInvoice,
  ErpVendor,
  ExpenseDocType,
  ExpensePort,
} from '../../connectors/port.js';
import type { InboundEvent, StepContext, StepHandler } from '../../engine/step-api.js';
import type { CodingIssue, PeriodCalendarProvider, VendorMasterCopy } from '../../hub/ports.js';
import {
  DEFAULT_POSTING_CHECK_POLICY,
  payeeIssue,
  postingCheckFailure,
  type PostingCheckPolicy,
} from '../../validation/posting-check.js';

export interface EmployeeFacts {
  readonly personnelNumber: string;
  readonly name: string;
  readonly entity: string;
  readonly costCenter?: string;
  readonly vendorId?: string;
  /** The employee's vendor in the company code when the ERP blocks it for posting or payment. */
  readonly blockedVendorId?: string;
}

/** One ERP document to post, named by its group (the effect is `post-<group>`). */
export type PlannedErpDocument =
  | {
      readonly group: string;
      readonly kind: 'supplier_invoice';
      readonly invoice: Omit<ErpSupplierInvoice, 'reference'>;
    }
  | { readonly group: string; readonly kind: 'journal_entry'; readonly entry: Omit<ErpJournalEntry, 'reference'> };

type System<P> = { readonly system: string; readonly port: P };

const PERIOD_NOT_OPEN = /posting period (\d{3}) (\d{4}) is not open/i;
/** Codes after which the document's owner is told, through an error posting confirmation. */
const OWNER_ACTIONABLE = new Set(['LL_ERR_VALIDATION', 'LL_ERR_REMOTE_REJECTED', 'LL_ERR_JOURNAL_UNBALANCED']);

/** The first of `names` the event payload has as non-empty text (or a lossless number's text). */
export function payloadText(payload: InboundEvent['payload'], names: readonly string[]): string | undefined {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) return undefined;
  for (const name of names) {
    if (!Object.hasOwn(payload, name)) continue;
    const value = (payload as Record<string, unknown>)[name];
    if (typeof value === 'string' && value !== '') return value;
    if (value !== null && typeof value === 'object' && 'text' in value && typeof value.text === 'string')
      return value.text;
  }
  return undefined;
}

function digest(value: string): string {
  return createHash('sha256').update(value).digest('hex').slice(0, 10);
}

/**
 * Wraps a step so that a failure the document's owner can act on is also sent to the expense
 * platform as an error posting confirmation (once per distinct failure), then becomes the exception.
 */
export function ownerTold(expense: System<ExpensePort>, docType: ExpenseDocType, handler: StepHandler): StepHandler {
  return async (ctx) => {
    try {
      return await handler(ctx);
    } catch (error) {
      if (isLedgerlinkError(error) && OWNER_ACTIONABLE.has(error.code))
        await confirmError(ctx, expense, docType, error);
      throw error;
    }
  };
}

async function confirmError(
  ctx: StepContext,
  expense: System<ExpensePort>,
  docType: ExpenseDocType,
  error: LedgerlinkError,
): Promise<void> {
  // FIS takes several system messages (audit trail, at most 1300 characters each): the summary, then one per issue.
  const issues = error.details.flatMap((d) => {
    if (d === null || typeof d !== 'object' || !('message' in d)) return [];
    const { message, code } = d as { message: unknown; code?: unknown };
    return String(message) === ''
      ? []
      : [{ shortText: String(message).slice(0, 1300), ...(typeof code === 'string' ? { id: code } : {}) }];
  });
  const messages = [{ shortText: error.message.slice(0, 1300), id: error.code }, ...issues].slice(0, 20);
  try {
    await ctx.effect({
      system: expense.system,
      // The same failure is reported once; a different one is reported again.
      name: `error-confirmation-${digest(messages.map((m) => m.shortText).join('\n'))}`,
      lookup: async () => null,
      create: async () =>
        (await expense.port.confirmPosting({ documentId: ctx.run.documentId, status: 'error', messages }, docType))
          .documentId,
    });
  } catch {
    // The exception for the original failure is what matters; the platform is told on the next failure.
  }
}

/**
 * The employee vendor: the ERP vendor carrying the personnel number as our reference, in the company
 * code, not blocked. Taken from the hub's copy of the vendor master when it holds one; otherwise (a
 * vendor created or unblocked since the copy was read, or no copy) read from the ERP and added to it.
 */
async function employeeVendor(
  erp: System<ErpPort>,
  vendorMaster: VendorMasterCopy | undefined,
  employeeId: string,
  entity: string,
): Promise<{ readonly usable?: ErpVendor; readonly blocked?: ErpVendor }> {
  const inEntity = (v: ErpVendor): boolean => v.companyCodes.includes(entity);
  const usable = (v: ErpVendor): boolean => inEntity(v) && !v.blocked;
  if (vendorMaster !== undefined) {
    // The copy is a shortcut, never a dependency: when it cannot be read the ERP answers.
    await vendorMaster.ensureLoaded().catch(() => undefined);
    const copied = vendorMaster.loaded ? vendorMaster.vendorsWithReference(employeeId).find(usable) : undefined;
    if (copied !== undefined) return { usable: copied };
  }
  const read = await erp.port.findVendors({ reference: employeeId });
  if (read.length > 0) vendorMaster?.upsert(read);
  const found = read.find(usable);
  if (found !== undefined) return { usable: found };
  const blocked = read.find(inEntity);
  return blocked === undefined ? {} : { blocked };
}

/**
 * The employee by personnel number: company code (the run's entity), cost center, and the employee
 * vendor (employeeVendor). Not in the directory: a validation exception naming them and the document
 * (`what`), its detail at `path` (where the document names the employee).
 */
export async function employeeFromDirectory(
  directory: System<DirectoryPort>,
  erp: System<ErpPort>,
  employeeId: string,
  what: string,
  path = 'employeeId',
  vendorMaster?: VendorMasterCopy,
): Promise<EmployeeFacts> {
  const user = await directory.port.findByEmployeeNumber(employeeId);
  if (user === null) {
    const message = `Employee ${employeeId} of ${what} is not in the directory (${directory.system}); add them with this employee number and their company code, then retry`;
    throw new LedgerlinkError('LL_ERR_VALIDATION', message, { details: [{ path, message, employeeId }] });
  }
  const entity = user.employee.companyCode;
  const vendor = await employeeVendor(erp, vendorMaster, employeeId, entity);
  return {
    personnelNumber: employeeId,
    name: user.employee.displayName,
    entity,
    ...(user.employee.costCenter === undefined ? {} : { costCenter: user.employee.costCenter }),
    ...(vendor.usable === undefined ? {} : { vendorId: vendor.usable.vendorId }),
    ...(vendor.blocked === undefined ? {} : { blockedVendorId: vendor.blocked.vendorId }),
  };
}

/** The issue when the employee's vendor is blocked in the ERP (no vendor at all is reported at posting). */
export function employeeVendorIssue(employee: EmployeeFacts, entity: string): CodingIssue | undefined {
  if (employee.vendorId !== undefined || employee.blockedVendorId === undefined) return undefined;
  const found = payeeIssue(
    { vendorId: employee.blockedVendorId, known: true, blocked: true, companyCodes: [entity] },
    entity,
    'employeeVendor',
  );
  return found === undefined
    ? undefined
    : {
        code: found.code,
        path: found.path,
        message: `${found.message} (employee ${employee.personnelNumber} ${employee.name})`,
      };
}

/** The issue when the period of `date` is not open for the entity, saying how to reopen it. */
export async function periodIssue(
  periods: PeriodCalendarProvider,
  entity: string,
  date: string,
): Promise<CodingIssue | undefined> {
  const period = await periods.status(entity, date);
  if (period.open) return undefined;
  return {
    code: 'period_closed',
    path: 'postingDate',
    message: `${period.reason ?? `Period ${period.period} is closed for company code ${entity}`}; reopen it (PUT /v1/periods/${entity}/${period.period}) once the ERP accepts postings in it, then retry`,
  };
}

/**
 * Posts one ERP document exactly once: the effect `post-<group>` looks the document up by our
 * reference before creating it. Answers the ERP's document number, fiscal year and posting date.
 */
/** The platform no longer knows the document (recalled or deleted): a business rejection. */
export function documentUnknown(expense: System<ExpensePort>, what: string, documentId: string): LedgerlinkError {
  return new LedgerlinkError(
    'LL_ERR_REMOTE_REJECTED',
    `${what} ${documentId} is not known to ${expense.system}; it may have been recalled or deleted`,
    {
      details: [{ message: 'document not found', documentId, system: expense.system }],
    },
  );
}

/** The acknowledge step: the document is taken (it can no longer be recalled mid-integration); "already acknowledged" is a success. */
export function acknowledgeStep(expense: System<ExpensePort>, docType: ExpenseDocType): StepHandler {
  return async (ctx) => {
    await ctx.effect({
      system: expense.system,
      name: 'acknowledge',
      lookup: async () => null,
      create: async () => (await expense.port.acknowledge(ctx.run.documentId, docType)).documentId,
    });
    return { next: 'enrich' };
  };
}

/** The effect name of a posting group's ERP document (e.g. `post-employee`), within the `post` step. */
export function postingEffectName(group: string): string {
  return `post-${group}`;
}

export async function postErpDocument(
  ctx: StepContext,
  erp: System<ErpPort>,
  periods: PeriodCalendarProvider,
  planned: PlannedErpDocument,
  entity: string,
  policy: PostingCheckPolicy = DEFAULT_POSTING_CHECK_POLICY,
  keyScope: 'document' | 'run' = 'document',
): Promise<ErpPostingDocument> {
  let found: ErpPostingDocument | undefined;
  const remember = (
    ref: { documentId: string; fiscalYear: string; companyCode: string },
    postingDate: string,
  ): string => {
    found = { companyCode: ref.companyCode, documentNumber: ref.documentId, fiscalYear: ref.fiscalYear, postingDate };
    return ref.documentId;
  };
  const postingDate = planned.kind === 'supplier_invoice' ? planned.invoice.postingDate : planned.entry.postingDate;
  const scope =
    planned.kind === 'supplier_invoice'
      ? { companyCode: entity, vendorId: planned.invoice.vendorId }
      : { companyCode: entity };
  const lookup = async (key: string): Promise<string | null> => {
    const ref = await erp.port.findDocumentByReference(planned.kind, key, scope);
    return ref === null ? null : remember(ref, postingDate);
  };
  const result = await ctx.effect({
    system: erp.system,
    name: postingEffectName(planned.group),
    // Once per source document, whatever revision or version the run was made for; a revision that
    // replaces a reversed posting posts under its own run's reference.
    scope: keyScope,
    lookup,
    create: async (key) => {
      try {
        const ref =
          planned.kind === 'supplier_invoice'
            ? await erp.port.postSupplierInvoice({ ...planned.invoice, reference: key })
            : await erp.port.postJournalEntry({ ...planned.entry, reference: key });
        return remember(ref, postingDate);
      } catch (error) {
        throw await learnedClosure(error, erp.system, periods, entity, policy);
      }
    },
  });
  if (found === undefined) await lookup(result.idempotencyKey);
  return (
    found ?? { companyCode: entity, documentNumber: result.remoteId, fiscalYear: postingDate.slice(0, 4), postingDate }
  );
}

/** An ERP refusal because the period is closed is recorded as a closure, so later documents fail fast. */
async function learnedClosure(
  error: unknown,
  erpSystem: string,
  periods: PeriodCalendarProvider,
  entity: string,
  policy: PostingCheckPolicy,
): Promise<unknown> {
  if (!isLedgerlinkError(error)) return error;
  const match = PERIOD_NOT_OPEN.exec(`${error.message} ${JSON.stringify(error.details)}`);
  if (match === null) return error;
  const period = `${match[2] ?? ''}-${(match[1] ?? '').slice(1)}`;
  await periods.recordClosure(entity, period, `the ERP (${erpSystem}) rejected a posting: ${error.message}`);
  const message = `Period ${period} is closed in the ERP for company code ${entity}; reopen it in the ERP and in Ledgerlink (PUT /v1/periods/${entity}/${period}), then retry`;
  const failure = postingCheckFailure(
    `The ERP (${erpSystem}) refused the posting`,
    [{ path: 'postingDate', message, code: 'period_closed' }],
    policy,
  );
  return new LedgerlinkError(failure?.code ?? 'LL_ERR_VALIDATION', failure?.message ?? message, {
    details: [...(failure?.details ?? []), ...error.details],
    cause: error,
  });
}
