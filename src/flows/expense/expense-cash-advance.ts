/**
 * Cash advances applied to an expense report, in the expense posting flow. Pure: no I/O.
 *
 * A report that applies advances is posted as usual (the out-of-pocket entries as a supplier
 * invoice to the employee vendor for their gross) plus one journal entry for all its applications:
 * the employee vendor debited with the amount applied, each advance's clearing account credited.
 * The employee's vendor account then nets to what is still owed (advance below the payout) or to a
 * debit, what the employee owes the company (advance above the payout), without a negative
 * supplier invoice. An application with the opposite sign (a reversal) swaps the sides.
 *
 * The clearing account: the application's clearing account code through mapping table
 * `expense-clearing-account` [account, entity] (as for company-paid entries), else
 * `flows.expensePosting.cashAdvanceClearingAccount`; neither is a validation issue.
 *
 * Cash the employee handed back (`cashAdvanceReturns`) is not posted: it is a bank receipt the ERP
 * records from the bank statement; the run keeps it in its state.
 */
import { LedgerlinkError } from '../../canonical/errors.js';
import { assertBalanced, sidedAmount } from '../../canonical/journal.js';
import { isZero, sum, type Money } from '../../canonical/money.js';
import type { ErpJournalEntry, ExpenseDocument } from '../../connectors/port.js';
import type { MappingSet } from '../../mapping/mapping-set.js';

/** One applied advance with its ERP clearing account. */
export interface MappedAdvance {
  readonly cashAdvanceId: string;
  /** Taken off what the employee is owed, in the report currency (negative: an application reversed). */
  readonly applied: Money;
  /** The platform's clearing account code, when the application names one. */
  readonly sourceAccount?: string;
  /** The GL account the advance clears against; undefined when neither mapped nor configured. */
  readonly clearingAccount?: string;
}

export interface AdvanceParties {
  readonly entity: string;
  readonly currency: string;
  readonly postingDate: string;
  readonly documentDate: string;
  readonly headerText: string;
  readonly employeeVendor?: string;
}

export interface CashAdvancePosting {
  readonly group: 'cash_advance';
  readonly kind: 'journal_entry';
  readonly entry: Omit<ErpJournalEntry, 'reference'>;
}

type EntryLine = ErpJournalEntry['lines'][number];

/** The report's applications with their ERP clearing accounts. */
export function mapCashAdvances(
  document: ExpenseDocument,
  set: MappingSet,
  defaults: { readonly entity: string; readonly cashAdvanceClearingAccount?: string },
): MappedAdvance[] {
  return document.report.cashAdvances.map((advance) => {
    const code = advance.clearingAccountCode;
    const named =
      code === undefined ? null : set.tryLookup('expense-clearing-account', { account: code, entity: defaults.entity });
    const clearingAccount = named?.['glAccount'] ?? defaults.cashAdvanceClearingAccount;
    return {
      cashAdvanceId: advance.id,
      applied: advance.appliedAmount,
      ...(code === undefined ? {} : { sourceAccount: code }),
      ...(clearingAccount === undefined || clearingAccount === '' ? {} : { clearingAccount }),
    };
  });
}

function noClearingAccount(advance: MappedAdvance, entity: string): string {
  const named =
    advance.sourceAccount === undefined
      ? 'it names no clearing account code'
      : `its clearing account code ${advance.sourceAccount} has no row in mapping table expense-clearing-account for company code ${entity}`;
  return `No clearing account for cash advance ${advance.cashAdvanceId}: ${named}, and flows.expensePosting.cashAdvanceClearingAccount is not set; add the mapping row (and publish the mapping set) or configure the account, then retry`;
}

/** Validation issues of the applications: an advance without a clearing account. */
export function advanceIssues(
  advances: readonly MappedAdvance[],
  entity: string,
): { code: string; message: string; path: string }[] {
  return advances.flatMap((advance, i) =>
    advance.clearingAccount === undefined && !isZero(advance.applied)
      ? [
          {
            code: 'clearing_account_missing',
            path: `report.cashAdvances[${i}]`,
            message: noClearingAccount(advance, entity),
          },
        ]
      : [],
  );
}

/** The coding combinations the cash advance posting uses: each clearing account in the entity. */
export function advanceCodingInputs(
  advances: readonly MappedAdvance[],
  entity: string,
  date: string,
  currency: string,
): { entity: string; account: string; date: string; currency: string }[] {
  const accounts = new Set(advances.flatMap((a) => (a.clearingAccount === undefined ? [] : [a.clearingAccount])));
  return [...accounts].map((account) => ({ entity, account, date, currency }));
}

function refuse(message: string, path: string): never {
  throw new LedgerlinkError('LL_ERR_VALIDATION', message, { details: [{ path, message }] });
}

/**
 * The journal entry of a report's applied advances: Dr the employee vendor (creditor item) with
 * their total, Cr each advance's clearing account; undefined when nothing is applied.
 */
export function cashAdvancePosting(
  advances: readonly MappedAdvance[],
  parties: AdvanceParties,
): CashAdvancePosting | undefined {
  const applied = advances.filter((a) => !isZero(a.applied));
  if (applied.length === 0) return undefined;
  const vendorId =
    parties.employeeVendor ??
    refuse(
      `The employee has no vendor account in the ERP for company code ${parties.entity}; the applied cash advance is settled against it. Create one carrying the personnel number as its reference, then retry`,
      'employeeVendor',
    );
  const lines: EntryLine[] = [];
  const total = sum(
    applied.map((a) => a.applied),
    parties.currency,
  );
  if (!isZero(total))
    lines.push({
      glAccount: vendorId,
      vendorId,
      ...sidedAmount(total),
      text: `${parties.headerText} cash advance applied`.slice(0, 50),
    });
  for (const advance of applied) {
    const clearingAccount =
      advance.clearingAccount ?? refuse(noClearingAccount(advance, parties.entity), 'clearingAccount');
    lines.push({
      glAccount: clearingAccount,
      ...sidedAmount(advance.applied, true),
      text: `Cash advance ${advance.cashAdvanceId}`.slice(0, 50),
    });
  }
  assertBalanced(lines.map((l) => ({ account: l.vendorId ?? l.glAccount, side: l.side, amount: l.amount })));
  return {
    group: 'cash_advance',
    kind: 'journal_entry',
    entry: {
      companyCode: parties.entity,
      documentType: 'SA',
      documentDate: parties.documentDate,
      postingDate: parties.postingDate,
      headerText: parties.headerText,
      lines,
    },
  };
}
